package messages

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Config is where the words come from.
type Config struct {
	// ProductName is what messages call the service (.Product) and what
	// authenticator apps show; required.
	ProductName string
	// Dir, when set, is the operator's templates directory: same layout
	// as the built-in one; its files replace the built-in ones of the same
	// language and name, and its languages are added.
	Dir string
}

//go:embed templates
var builtin embed.FS

// Limits on what the catalog accepts.
const (
	MaxProductNameChars = 64
	maxTemplateBytes    = 64 << 10
)

// The parts of a message a file can hold, by file name suffix.
const (
	partSMS     = ".sms.txt"
	partSubject = ".subject.txt"
	partText    = ".text.txt"
	partHTML    = ".html"
)

var parts = []string{partSMS, partSubject, partText, partHTML}

// file is one template's source and where it came from, for errors.
type file struct {
	src    string
	origin string // e.g. "built-in es/otp_code.sms.txt" or "/etc/t/es/otp_code.sms.txt"
}

// Load builds the catalog from the built-in templates and cfg.Dir, and
// checks it whole: every file is a known template part in a well-formed
// language directory, every template parses, English has every template,
// each e-mail has a subject and a text body, and every template renders
// with sample data (a key of .Data a template does not get is an error),
// an SMS in at most MaxSMSSegments. The error names every problem found.
func Load(cfg Config) (*Catalog, error) {
	var problems []string
	if err := CheckProductName(cfg.ProductName); err != nil {
		return nil, fmt.Errorf("product name %w", err)
	}
	files := map[language.Tag]map[string]file{}
	sub, err := fs.Sub(builtin, "templates")
	if err != nil {
		return nil, err
	}
	problems = append(problems, readTree(sub, "built-in ", files)...)
	if cfg.Dir != "" {
		info, err := os.Stat(cfg.Dir)
		switch {
		case err != nil:
			return nil, fmt.Errorf("templates directory %s cannot be read: %w", cfg.Dir, errors.Unwrap(err))
		case !info.IsDir():
			return nil, fmt.Errorf("templates directory %s is not a directory", cfg.Dir)
		}
		problems = append(problems, readTree(os.DirFS(cfg.Dir), strings.TrimSuffix(cfg.Dir, "/")+"/", files)...)
	}
	c := &Catalog{product: cfg.ProductName,
		sms: map[string]*choice[*template.Template]{}, email: map[string]*choice[*email]{}}
	c.langs = sortedLanguages(files)
	names := make([]string, 0, len(specs))
	for name := range specs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, tag := range c.langs {
		for _, name := range names {
			problems = append(problems, c.build(tag, name, files[tag])...)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("message templates: %s", strings.Join(problems, "; "))
	}
	for _, ch := range c.sms {
		ch.seal()
	}
	for _, ch := range c.email {
		ch.seal()
	}
	return c, nil
}

// CheckProductName says what is wrong with a product name ("is empty",
// …), or nil: one line of at most MaxProductNameChars characters.
func CheckProductName(p string) error {
	switch {
	case strings.TrimSpace(p) == "":
		return errors.New("is empty")
	case !utf8.ValidString(p):
		return errors.New("is not valid UTF-8")
	case utf8.RuneCountInString(p) > MaxProductNameChars:
		return fmt.Errorf("is longer than %d characters", MaxProductNameChars)
	case strings.IndexFunc(p, unicode.IsControl) >= 0:
		return errors.New("has control characters (line breaks, NUL…)")
	}
	return nil
}

// readTree reads <language>/<name>.<part> files of fsys into files (a
// file replaces one read before it) and returns the problems found.
// Names starting with a dot (editors' and version control's) are skipped.
func readTree(fsys fs.FS, origin string, files map[language.Tag]map[string]file) []string {
	var problems []string
	bad := func(path, format string, a ...any) {
		problems = append(problems, origin+path+": "+fmt.Sprintf(format, a...))
	}
	langs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return []string{origin + ": cannot be read: " + err.Error()}
	}
	seen := map[language.Tag]string{}
	for _, d := range langs {
		dir := d.Name()
		if strings.HasPrefix(dir, ".") {
			continue
		}
		if !d.IsDir() {
			bad(dir, "unknown file: the directory holds one folder per language (en, es, pt-BR…)")
			continue
		}
		tag, err := language.Parse(dir)
		if err != nil || tag == language.Und {
			bad(dir, "is not a BCP 47 language tag (en, es, pt-BR…)")
			continue
		}
		if other, dup := seen[tag]; dup {
			bad(dir, "is the same language as %s", other)
			continue
		}
		seen[tag] = dir
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			bad(dir, "cannot be read: %v", err)
			continue
		}
		if files[tag] == nil {
			files[tag] = map[string]file{}
		}
		for _, e := range entries {
			name, path := e.Name(), dir+"/"+e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if p := checkFileName(name); p != "" {
				bad(path, "%s", p)
				continue
			}
			if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
				bad(path, "is not a regular file")
				continue
			}
			src, err := fs.ReadFile(fsys, path)
			switch {
			case err != nil:
				bad(path, "cannot be read: %v", err)
			case len(src) > maxTemplateBytes:
				bad(path, "is larger than %d KiB", maxTemplateBytes>>10)
			case !utf8.Valid(src):
				bad(path, "is not valid UTF-8")
			case bytes.IndexByte(src, 0) >= 0:
				bad(path, "contains a NUL byte")
			default:
				files[tag][name] = file{src: string(src), origin: origin + path}
			}
		}
	}
	return problems
}

// checkFileName says what is wrong with a template file's name, or "".
func checkFileName(name string) string {
	for _, part := range parts {
		base, ok := strings.CutSuffix(name, part)
		if !ok {
			continue
		}
		s, known := specs[base]
		switch {
		case !known:
			return fmt.Sprintf("unknown file: no template is named %q (known: %s)", base, knownNames())
		case part == partSMS && !s.sms:
			return fmt.Sprintf("unknown file: %s is not sent by SMS", base)
		case part != partSMS && !s.email:
			return fmt.Sprintf("unknown file: %s is not sent by e-mail", base)
		}
		return ""
	}
	return "unknown file: a template file is <name>.sms.txt, .subject.txt, .text.txt or .html"
}

func knownNames() string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// sortedLanguages is English first, then the others by tag.
func sortedLanguages(files map[language.Tag]map[string]file) []language.Tag {
	tags := []language.Tag{english}
	for tag := range files {
		if tag != english {
			tags = append(tags, tag)
		}
	}
	slices.SortFunc(tags[1:], func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })
	return tags
}

// sample is what a template of name is checked against at start.
func (c *Catalog) sample(name string) values {
	v := values{Product: c.product, Data: specs[name].data}
	if specs[name].code {
		v.Code = "123456"
	}
	if v.Data == nil {
		v.Data = map[string]string{}
	}
	return v
}

// build parses and checks the templates of name in tag and adds them.
func (c *Catalog) build(tag language.Tag, name string, files map[string]file) []string {
	var problems []string
	s, v := specs[name], c.sample(name)
	lang := tag.String()
	if s.sms {
		f, ok := files[name+partSMS]
		switch {
		case !ok && tag == english:
			problems = append(problems, "en/"+name+partSMS+" is missing")
		case ok:
			t, err := parseText(f)
			if err == nil {
				var out string
				if out, err = execText(t, v); err == nil && smsSegments(oneLine(out)) > MaxSMSSegments {
					err = fmt.Errorf("renders as %d SMS segments with sample data (%d characters); at most %d are allowed "+
						"(a segment holds 153 characters, or 67 when the text has any outside the GSM alphabet)",
						smsSegments(oneLine(out)), utf8.RuneCountInString(oneLine(out)), MaxSMSSegments)
				}
			}
			if err != nil {
				problems = append(problems, f.origin+": "+err.Error())
				break
			}
			if c.sms[name] == nil {
				c.sms[name] = &choice[*template.Template]{}
			}
			c.sms[name].add(tag, t)
		}
	}
	if !s.email {
		return problems
	}
	subject, hasSubject := files[name+partSubject]
	text, hasText := files[name+partText]
	html, hasHTML := files[name+partHTML]
	switch {
	case !hasSubject && !hasText && !hasHTML && tag != english:
		return problems
	case !hasSubject || !hasText:
		return append(problems, fmt.Sprintf("%s: an e-mail needs both %s%s and %s%s",
			emailOrigin(lang, name, subject, text, html), name, partSubject, name, partText))
	}
	e := &email{}
	var err error
	if e.subject, err = parseText(subject); err != nil {
		problems = append(problems, subject.origin+": "+err.Error())
	}
	if e.text, err = parseText(text); err != nil {
		problems = append(problems, text.origin+": "+err.Error())
	}
	if hasHTML {
		e.html, err = htmltemplate.New(strings.TrimPrefix(html.origin, "built-in ")).Option("missingkey=error").Parse(html.src)
		if err != nil {
			problems = append(problems, html.origin+": "+err.Error())
		}
	}
	if len(problems) > 0 {
		return problems
	}
	r, err := e.render(v)
	switch {
	case err != nil:
		return append(problems, fmt.Sprintf("%s: %v", emailOrigin(lang, name, subject, text, html), err))
	case strings.ContainsAny(r.Subject, "\r\n"):
		return append(problems, subject.origin+": the subject must be one line")
	case strings.TrimSpace(r.Subject) == "":
		return append(problems, subject.origin+": the subject is empty with sample data")
	}
	if c.email[name] == nil {
		c.email[name] = &choice[*email]{}
	}
	c.email[name].add(tag, e)
	return problems
}

// emailOrigin names an e-mail's files by their common prefix, e.g.
// "/etc/t/es/otp_code.*", from whichever of them exists.
func emailOrigin(lang, name string, files ...file) string {
	for _, f := range files {
		if f.origin != "" {
			return f.origin[:strings.LastIndex(f.origin, "/")+1] + name + ".*"
		}
	}
	return "built-in " + lang + "/" + name + ".*"
}

func parseText(f file) (*template.Template, error) {
	return template.New(strings.TrimPrefix(f.origin, "built-in ")).Option("missingkey=error").Parse(f.src)
}
