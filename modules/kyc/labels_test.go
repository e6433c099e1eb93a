package kyc

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func keys(ls []ports.Label) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Key+"="+l.Value+"/"+l.Scope)
	}
	return out
}

func TestLabelScopes(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "+447911123456")
	other := e.user(ports.RoleMember, "")
	support := e.user(ports.RoleSupport, "")
	require.NoError(t, e.hook.OnUserEvent(context.Background(), ports.UserEvent{Kind: ports.UserActivated, User: u}))

	l, err := e.svc.SetMyLabel(e.as(u), LabelInput{Key: "nickname", Value: "ada", Description: "what friends say"})
	require.NoError(t, err)
	require.Equal(t, ports.ScopePublic, l.Scope)

	_, err = e.svc.SetMyLabel(e.as(u), LabelInput{Key: LabelPhone, Value: "unverified"})
	require.Equal(t, ports.CodeConflict, code(t, err), "a PRIVATE key is not the owner's")
	_, err = e.svc.RemoveMyLabel(e.as(u), LabelPhone)
	require.Equal(t, ports.CodeConflict, code(t, err))
	require.Equal(t, 1, e.level(u), "the private label is untouched")

	for name, c := range map[string]struct {
		in   LabelInput
		want map[string]string
	}{
		"upper case key": {LabelInput{Key: "Nick", Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"digit first":    {LabelInput{Key: "1a", Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"65 chars":       {LabelInput{Key: "a" + strings.Repeat("b", 64), Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"newline":        {LabelInput{Key: "a\n", Value: "x"}, map[string]string{}},
		"no value":       {LabelInput{Key: "a", Value: ""}, map[string]string{"value": "is required"}},
		"long value and description": {LabelInput{Key: "a", Value: strings.Repeat("v", 256), Description: strings.Repeat("d", 256)},
			map[string]string{"value": "must be 1 to 255 characters", "description": "must be at most 255 characters"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.SetMyLabel(e.as(u), c.in)
			if len(c.want) == 0 {
				// Trimmed "a\n" is a fine key.
				require.NoError(t, err)
				_, err = e.svc.RemoveMyLabel(e.as(u), "a")
				require.NoError(t, err)
				return
			}
			require.Equal(t, c.want, fields(t, err))
		})
	}

	mine, err := e.svc.LabelsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC"}, keys(mine), "the owner sees only PUBLIC labels")
	all, err := e.svc.LabelsOf(e.as(support), u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC", "phone=verified/PRIVATE"}, keys(all))
	_, err = e.svc.LabelsOf(e.as(other), u.ID)
	require.Equal(t, ports.CodeForbidden, code(t, err))

	removed, err := e.svc.RemoveMyLabel(e.as(u), "nickname")
	require.NoError(t, err)
	require.True(t, removed)
	removed, err = e.svc.RemoveMyLabel(e.as(u), "nickname")
	require.NoError(t, err)
	require.False(t, removed)
}

func TestLabelLimit(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	for i := range MaxLabels {
		_, err := e.svc.SetMyLabel(e.as(u), LabelInput{Key: fmt.Sprintf("k%d", i), Value: "v"})
		require.NoError(t, err)
	}
	_, err := e.svc.SetMyLabel(e.as(u), LabelInput{Key: "one.more", Value: "v"})
	require.Equal(t, map[string]string{"key": "you have 50 labels already; remove one first"}, fields(t, err))
	_, err = e.svc.SetMyLabel(e.as(u), LabelInput{Key: "k7", Value: "changed"})
	require.NoError(t, err, "replacing a label at the limit is fine")
}

func TestComputeLevel(t *testing.T) {
	rules := portsfake.DefaultLevelRules()
	priv := func(kv ...string) []ports.Label {
		var out []ports.Label
		for _, k := range kv {
			out = append(out, ports.Label{Key: k, Value: LabelVerified, Scope: ports.ScopePrivate})
		}
		return out
	}
	require.Equal(t, 0, ComputeLevel(rules, nil))
	require.Equal(t, 1, ComputeLevel(rules, priv("phone")))
	require.Equal(t, 1, ComputeLevel(rules, priv("phone", "email")), "level 2 needs every one of its rules")
	require.Equal(t, 2, ComputeLevel(rules, priv("phone", "email", "profile")))
	require.Equal(t, 0, ComputeLevel(rules, priv("email", "profile", "document", "selfie")), "levels build on each other")
	require.Equal(t, 3, ComputeLevel(rules, priv("phone", "email", "profile", "document", "selfie")))
	public := append(priv("email", "profile"), ports.Label{Key: "phone", Value: LabelVerified, Scope: ports.ScopePublic})
	require.Equal(t, 0, ComputeLevel(rules, public), "PUBLIC labels do not count")
	wrong := append(priv("email", "profile"), ports.Label{Key: "phone", Value: "pending", Scope: ports.ScopePrivate})
	require.Equal(t, 0, ComputeLevel(rules, wrong))
}

func TestLevelsRiseAndFall(t *testing.T) {
	e := newEnv(t)
	compliance := e.user(ports.RoleCompliance, "")
	u := e.user(ports.RoleMember, "+447911123456")
	ctx := context.Background()
	require.Equal(t, 0, e.level(u))

	require.NoError(t, e.hook.OnUserEvent(ctx, ports.UserEvent{Kind: ports.UserActivated, User: u}))
	require.Equal(t, 1, e.level(u))
	phones, err := e.svc.PhonesOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, phones, 1)
	require.NotNil(t, phones[0].VerifiedAt)

	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, ports.UserEvent{Kind: ports.UserEmailVerified, User: u}))
	require.Equal(t, 1, e.level(u))
	e.confirmProfile(u)
	require.Equal(t, 2, e.level(u))

	_, err = e.svc.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	require.Equal(t, 1, e.level(u), "unconfirming the profile lowers the level")

	levels, err := e.svc.Levels(ctx)
	require.NoError(t, err)
	require.Len(t, levels, 3)
	require.Equal(t, 2, levels[1].Level)
	require.Len(t, levels[1].Rules, 2)
}

func TestHookEmailActivation(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	u.Email = "bob@example.com"
	require.NoError(t, e.hook.OnUserEvent(context.Background(), ports.UserEvent{Kind: ports.UserActivated, User: u}))
	_, err := e.store.GetLabel(context.Background(), u.ID, LabelEmail)
	require.NoError(t, err)
	_, err = e.store.GetLabel(context.Background(), u.ID, LabelPhone)
	require.Equal(t, ports.CodeNotFound, code(t, err), "no phone, no phone label")
	require.Equal(t, 0, e.level(u))
}
