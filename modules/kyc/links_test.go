package kyc_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// parseLink reads a link of fileURL back into its parts.
func parseLink(t *testing.T, link string) (uuid.UUID, int64, string, string) {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u.Path, kyc.FilePath))
	id, err := uuid.Parse(strings.TrimPrefix(u.Path, kyc.FilePath))
	require.NoError(t, err)
	e, err := strconv.ParseInt(u.Query().Get("e"), 10, 64)
	require.NoError(t, err)
	return id, e, u.Query().Get("u"), u.Query().Get("s")
}

func TestSignedLinks(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	e.uploadPassport(u)
	docs, err := e.svc.Files.DocumentsOf(e.as(compliance), u.ID)
	require.NoError(t, err)
	front := docs[0].Front
	id, exp, staff, sig := parseLink(t, front.URL)
	require.Equal(t, front.File.ID, id)
	require.Equal(t, t0.Add(5*time.Minute).Unix(), exp)
	require.Equal(t, compliance.ID.String(), staff, "the link names the staff member it was made for")

	ctx := context.Background() // a link needs no session
	f, data, err := e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
	require.NoError(t, err)
	require.Equal(t, front.File.ID, f.ID)
	want, err := e.blobs.Get(ctx, f.BlobKey)
	require.NoError(t, err)
	require.Equal(t, want, data)
	opened := e.activities.WithAction("file.open")
	require.Len(t, opened, 1)
	require.Equal(t, compliance.ID, *opened[0].UserID, "recorded under the staff member, not the subject")
	require.Equal(t, map[string]string{"file": id.String(), "userId": u.ID.String()}, opened[0].Details)

	other := e.uploadSelfie(u).Image.File.ID
	flip := []byte(sig)
	flip[3] ^= 1
	for name, c := range map[string]struct {
		id    uuid.UUID
		exp   int64
		staff string
		sig   string
	}{
		"other file":        {other, exp, staff, sig},
		"later expiry":      {id, exp + 3600, staff, sig},
		"other staff":       {id, exp, uuid.NewString(), sig},
		"no staff":          {id, exp, "", sig},
		"staff as urn":      {id, exp, "urn:uuid:" + staff, sig},
		"flipped sig":       {id, exp, staff, string(flip)},
		"empty sig":         {id, exp, staff, ""},
		"truncated sig":     {id, exp, staff, sig[:20]},
		"unknown file":      {uuid.New(), exp, staff, sig},
		"overlong garbage":  {id, exp, staff, strings.Repeat("A", 1000)},
		"overlong staff id": {id, exp, strings.Repeat("a", 1000), sig},
	} {
		t.Run(name, func(t *testing.T) {
			_, data, err := e.svc.Files.OpenSignedFile(ctx, c.id, c.exp, c.staff, c.sig)
			errtest.Code(t, err, ports.CodeNotFound)
			require.Nil(t, data)
		})
	}

	e.clock.Advance(5 * time.Minute)
	_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
	require.NoError(t, err, "valid up to its expiry second")
	e.clock.Advance(time.Second)
	_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
	errtest.Code(t, err, ports.CodeNotFound, "expired")
}

func TestNoLinksWithoutKey(t *testing.T) {
	e := newEnv(t)
	e.cfg.LinkKey = nil
	e.rebuild()
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	e.uploadPassport(u)
	docs, err := e.svc.Files.DocumentsOf(e.as(compliance), u.ID)
	require.NoError(t, err)
	require.Empty(t, docs[0].Front.URL)
	require.Nil(t, docs[0].Front.URLExpiresAt)
	// With an empty key anyone could sign: nothing opens.
	_, _, err = e.svc.Files.OpenSignedFile(context.Background(), docs[0].Front.File.ID, t0.Unix()+60, compliance.ID.String(), "")
	errtest.Code(t, err, ports.CodeNotFound)
}
