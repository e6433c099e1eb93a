package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/ports"
)

// Captcha is the captcha gate (captcha.Gate).
type Captcha interface {
	Check(ctx context.Context, op captcha.Operation, token, identifier string) error
	SignInFailed(ctx context.Context, identifier string)
}

// captchaField is how a root field meets the captcha: the operation it
// belongs to, and the input field naming who a sign-in is for.
type captchaField struct {
	op         captcha.Operation
	identifier string
}

// CaptchaFields are the root fields a captcha can be configured for; each
// takes captchaToken in its input (phoneSignupStatus: as an argument).
var CaptchaFields = map[string]captchaField{
	"startPhoneSignup":     {op: captcha.OpSignUp},
	"signUpWithEmail":      {op: captcha.OpSignUp},
	"signIn":               {op: captcha.OpSignIn, identifier: "username"},
	"signInWithPin":        {op: captcha.OpSignIn, identifier: "phone"},
	"requestPasswordReset": {op: captcha.OpPasswordReset},
	"phoneSignupStatus":    {op: captcha.OpPhoneStatus},
}

// captchaGate checks the captcha of the fields in CaptchaFields once the
// perimeter and authorization let them through, and before their
// resolver: a refused captcha sends no code, hashes nothing and spends
// no rate-limit budget. Like the perimeter it is one rule applied to the
// root fields centrally, with the operations named in one place; the
// resolvers and the services do not see it. A failed sign-in is counted
// here too, from the answer the client gets (UNAUTHENTICATED), which is
// the same whether or not the account exists.
func captchaGate(c Captcha) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || (fc.Object != "Mutation" && fc.Object != "Query") {
			return next(ctx)
		}
		f, ok := CaptchaFields[fc.Field.Name]
		if !ok {
			return next(ctx)
		}
		args := fc.Field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
		if input, ok := args["input"].(map[string]any); ok {
			args = input
		}
		token, _ := args[captcha.Field].(string)
		identifier, _ := args[f.identifier].(string)
		if err := c.Check(ctx, f.op, token, identifier); err != nil {
			return nil, err
		}
		res, err := next(ctx)
		if f.op == captcha.OpSignIn && ports.ErrorCodeOf(err) == ports.CodeUnauthenticated {
			c.SignInFailed(ctx, identifier)
		}
		return res, err
	}
}
