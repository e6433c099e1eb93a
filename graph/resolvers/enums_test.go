package resolvers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	gqlast "github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
)

// servedEnums maps each Go string type with constants (package.Type) to the
// schema enum its values are served as (the resolvers convert one to the
// other by value: model.OtpPurpose(c.Purpose)).
var servedEnums = map[string]string{
	"otp.Purpose":            "OtpPurpose",
	"otp.Channel":            "OtpChannel",
	"ports.ActivityResult":   "ActivityResult",
	"identity.SignInStatus":  "SignInStatus",
	"identity.SignupStatus":  "PhoneSignupStatus",
	"identity.ContactKind":   "ContactKind",
	"accounts.PortfolioType": "PortfolioType",
	"kyc.Status":             "KycStatus",
	"pinreset.Status":        "PinResetStatus",
	"delivery.Status":        "DeliveryStatus",
	"partners.State":         "PartnerAppState",
	"apikeys.State":          "ApiKeyState",
	"perimeter.Scope":        "RestrictionScope",
	"perimeter.Category":     "RestrictionCategory",
	"perimeter.State":        "RestrictionState",
	"levelrules.JobState":    "LevelJobState",
}

// unservedEnums are the Go string types no field returns, with the reason.
var unservedEnums = map[string]string{
	"ports.ErrorCode":        "served as extensions.code of an error, not as a field",
	"identity.UserEventKind": "events between modules, never shown to clients",
	"otp.SendBudget":         "whose hourly code budget a send spends, kept with the send, never shown to clients",
	"ports.ProgramKind":      "which program credentials a request carried, read by authorization, not served",
	"federation.Purpose":     "what a started provider flow is for, kept with the flow, never shown to clients",
	"ports.TokenKind":        "whose token it is, inside the signed token (validateToken serves it as clientId), not served as an enum",
	"captcha.Operation":      "which operations need a captcha, read from GATEHOUSE_CAPTCHA_OPERATIONS, never served",
}

// untypedEnums are the groups of untyped string constants (package and name
// prefix) whose values reach an enum field as plain strings.
var untypedEnums = []struct{ pkg, prefix, enum string }{
	{"identity", "State", "UserState"},
	{"identity", "RoleMember", "Role"},
	{"ports", "Role", "Role"},
	{"kyc", "Scope", "LabelScope"},
	{"admin", "Permission", "PermissionAction"},
	{"admin", "Order", "UserOrderField"},
	{"admin", "Interval", "MetricInterval"},
	{"kyc", "Doc", "DocumentType"},
}

// untypedExceptions are constants a group's prefix catches that are not
// served as its enum.
var untypedExceptions = map[string]string{
	"kyc.DocSelfie": "the selfie is a document row served as User.selfie, never as a Document",
}

// enumLists are exported string slices that hold an enum's values.
var enumLists = map[string]string{
	"identity.Roles": "Role",
}

// goConst is one constant's value and where it is declared.
type goConst struct{ name, value string }

// TestEveryGoEnumValueIsInTheSchema reads the Go source of modules/ and
// ports/ and serialises every value of every Go-side enum through the
// schema: OtpChallenge.purpose once returned PHONE_ADD and PIN_RESET,
// which OtpPurpose lacked, and clients failed on an unknown value. A new
// string type with constants must be mapped here (or said to be unserved).
func TestEveryGoEnumValueIsInTheSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	typed, untyped, lists := readGoEnums(t, "../../modules", "../../ports")
	require.NotEmpty(t, typed)

	check := func(where, enum string, values []goConst) {
		t.Helper()
		def := schema.Types[enum]
		require.NotNil(t, def, "%s maps to %s, which the schema lacks", where, enum)
		require.Equal(t, gqlast.Enum, def.Kind, "%s is not an enum", enum)
		for _, v := range values {
			if def.EnumValues.ForName(v.value) == nil {
				t.Errorf("%s: %s = %q is not a value of enum %s", where, v.name, v.value, enum)
			}
		}
	}

	names := make([]string, 0, len(typed))
	for n := range typed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := unservedEnums[name]; ok {
			continue
		}
		enum, ok := servedEnums[name]
		if !ok {
			t.Errorf("%s is a Go enum the test does not know: map it to its schema enum in servedEnums, or say why it is never served in unservedEnums", name)
			continue
		}
		check(name, enum, typed[name])
	}
	for name := range servedEnums {
		require.Contains(t, typed, name, "servedEnums names a type that no longer exists")
	}

	for _, g := range untypedEnums {
		var values []goConst
		for _, c := range untyped[g.pkg] {
			if strings.HasPrefix(c.name, g.prefix) && untypedExceptions[g.pkg+"."+c.name] == "" {
				values = append(values, c)
			}
		}
		require.NotEmpty(t, values, "no constants %s.%s*", g.pkg, g.prefix)
		check(g.pkg+"."+g.prefix+"*", g.enum, values)
	}
	for name, enum := range enumLists {
		require.NotEmpty(t, lists[name], "no string list %s", name)
		check(name, enum, lists[name])
	}
}

// readGoEnums parses the non-test Go files under roots and returns, by
// package name, the constants of each string type (keyed package.Type),
// the untyped string constants (keyed by package) and the exported
// []string variables of literals (keyed package.Name).
func readGoEnums(t *testing.T, roots ...string) (typed, untyped, lists map[string][]goConst) {
	t.Helper()
	typed, untyped, lists = map[string][]goConst{}, map[string][]goConst{}, map[string][]goConst{}
	fset := token.NewFileSet()
	type spec struct {
		pkg string
		vs  *ast.ValueSpec
	}
	var consts []spec
	stringTypes := map[string]bool{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			// Fakes and test helpers declare no enums of their own.
			if d.IsDir() && (strings.HasSuffix(d.Name(), "test") || strings.HasSuffix(d.Name(), "fake")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			pkg := f.Name.Name
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, s := range gd.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if id, ok := s.Type.(*ast.Ident); ok && id.Name == "string" {
							stringTypes[pkg+"."+s.Name.Name] = true
						}
					case *ast.ValueSpec:
						if gd.Tok == token.CONST {
							consts = append(consts, spec{pkg, s})
						} else if gd.Tok == token.VAR {
							readList(pkg, s, lists)
						}
					}
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
	for _, c := range consts {
		for i, name := range c.vs.Names {
			if i >= len(c.vs.Values) {
				continue
			}
			value, ok := stringLit(c.vs.Values[i])
			if !ok {
				continue
			}
			switch typ, _ := c.vs.Type.(*ast.Ident); {
			case typ == nil:
				untyped[c.pkg] = append(untyped[c.pkg], goConst{name.Name, value})
			case stringTypes[c.pkg+"."+typ.Name]:
				key := c.pkg + "." + typ.Name
				typed[key] = append(typed[key], goConst{name.Name, value})
			}
		}
	}
	return typed, untyped, lists
}

// readList records an exported `var X = []string{"A", "B"}`.
func readList(pkg string, s *ast.ValueSpec, lists map[string][]goConst) {
	for i, name := range s.Names {
		if !name.IsExported() || i >= len(s.Values) {
			continue
		}
		lit, ok := s.Values[i].(*ast.CompositeLit)
		if !ok {
			continue
		}
		at, ok := lit.Type.(*ast.ArrayType)
		if !ok {
			continue
		}
		if elt, ok := at.Elt.(*ast.Ident); !ok || elt.Name != "string" {
			continue
		}
		for _, e := range lit.Elts {
			if v, ok := stringLit(e); ok {
				lists[pkg+"."+name.Name] = append(lists[pkg+"."+name.Name], goConst{name.Name, v})
			}
		}
	}
}

func stringLit(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(bl.Value)
	return v, err == nil
}
