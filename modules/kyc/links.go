package kyc

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// minLinkKey is the shortest LinkKey links are signed with; with a shorter
// key no link is made and none opens.
const minLinkKey = 32

// FilePath is the path under which Gatehouse serves signed file links;
// the id of the file follows it.
const FilePath = "/kyc/files/"

// linker makes and checks the signed links to files: key is Config.LinkKey,
// ttl Config.LinkTTL.
type linker struct {
	key   []byte
	ttl   time.Duration
	clock ports.Clock
}

// fileURL makes a signed link to f for the staff member c that works for
// the link TTL:
// /kyc/files/<id>?e=<unix>&u=<staff id>&s=<base64url HMAC-SHA256(LinkKey, id|e|u)>.
// A link is a bearer link; the staff id it carries (covered by the MAC)
// says whom the opening is recorded under. The url is empty when no usable
// LinkKey is configured.
func (s linker) fileURL(c *ports.Caller, f File) (url string, expires time.Time) {
	if len(s.key) < minLinkKey || c == nil {
		return "", time.Time{}
	}
	expires = s.clock.Now().Add(s.ttl).Truncate(time.Second)
	e := expires.Unix()
	u := c.UserID.String()
	return FilePath + f.ID.String() + "?e=" + strconv.FormatInt(e, 10) + "&u=" + u + "&s=" + s.sig(f.ID, e, u),
		expires.UTC()
}

func (s linker) sig(id uuid.UUID, expires int64, staff string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id.String() + "|" + strconv.FormatInt(expires, 10) + "|" + staff))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// OpenSignedFile checks a signed link (in constant time) and its expiry
// and returns the file's record and decrypted content; staff is the
// link's u parameter, the id of the staff member the link was made for,
// under whom the opening is recorded (file.open, details file and
// userId); that staff member must still be ACTIVE with a role that reads
// files. Every bad, expired or dangling link, or one of a staff member who
// may no longer read files, is the same NOT_FOUND, so the answer tells
// nothing.
func (s *Files) OpenSignedFile(ctx context.Context, id uuid.UUID, expires int64, staff, sig string) (File, []byte, error) {
	notFound := ports.Errorf(ports.CodeNotFound, "this link is not valid or has expired")
	if len(s.views.links.key) < minLinkKey || len(sig) > 64 || len(staff) > 36 {
		return File{}, nil, notFound
	}
	if !hmac.Equal([]byte(s.views.links.sig(id, expires, staff)), []byte(sig)) {
		return File{}, nil, notFound
	}
	staffID, err := uuid.Parse(staff)
	if err != nil || s.clock.Now().Unix() > expires {
		return File{}, nil, notFound
	}
	// The staff member must still be one who reads files: a link made
	// before a demotion or a suspension stops working with it.
	u, err := s.users.GetByID(ctx, staffID)
	if isCode(err, ports.CodeNotFound) {
		return File{}, nil, notFound
	}
	if err != nil {
		return File{}, nil, err
	}
	if u.State != identity.StateActive || !s.rules.Allowed(u.Role, opFileLinks) {
		return File{}, nil, notFound
	}
	f, err := s.documents.GetFile(ctx, id)
	if isCode(err, ports.CodeNotFound) {
		return File{}, nil, notFound
	}
	if err != nil {
		return File{}, nil, err
	}
	data, err := s.blobs.Get(ctx, f.BlobKey)
	if isCode(err, ports.CodeNotFound) {
		s.log.ErrorContext(ctx, "KYC file without its object", "file", f.ID)
		return File{}, nil, notFound
	}
	if err != nil {
		return File{}, nil, err
	}
	s.record(ctx, &staffID, "file.open", nil, map[string]string{"file": f.ID.String(), "userId": f.UserID.String()})
	return f, data, nil
}
