package kyc

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// minLinkKey is the shortest LinkKey links are signed with; with a shorter
// key no link is made and none opens.
const minLinkKey = 32

// FilePath is the path under which Gatehouse serves signed file links;
// the id of the file follows it.
const FilePath = "/kyc/files/"

// fileURL makes a signed link to f that works for cfg.LinkTTL:
// /kyc/files/<id>?e=<unix>&s=<base64url HMAC-SHA256(LinkKey, id|e)>.
// The url is empty when no usable LinkKey is configured.
func (s *Service) fileURL(f ports.KYCFile) (url string, expires time.Time) {
	if len(s.cfg.LinkKey) < minLinkKey {
		return "", time.Time{}
	}
	expires = s.Clock.Now().Add(s.cfg.LinkTTL).Truncate(time.Second)
	e := expires.Unix()
	return FilePath + f.ID.String() + "?e=" + strconv.FormatInt(e, 10) + "&s=" + s.linkSig(f.ID, e), expires.UTC()
}

func (s *Service) linkSig(id uuid.UUID, expires int64) string {
	m := hmac.New(sha256.New, s.cfg.LinkKey)
	m.Write([]byte(id.String() + "|" + strconv.FormatInt(expires, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// OpenSignedFile checks a signed link (in constant time) and its expiry
// and returns the file's record and decrypted content. Every bad, expired
// or dangling link is the same NOT_FOUND, so the answer tells nothing.
func (s *Service) OpenSignedFile(ctx context.Context, id uuid.UUID, expires int64, sig string) (ports.KYCFile, []byte, error) {
	notFound := ports.Errorf(ports.CodeNotFound, "this link is not valid or has expired")
	if len(s.cfg.LinkKey) < minLinkKey || len(sig) > 64 {
		return ports.KYCFile{}, nil, notFound
	}
	if !hmac.Equal([]byte(s.linkSig(id, expires)), []byte(sig)) {
		return ports.KYCFile{}, nil, notFound
	}
	if s.Clock.Now().Unix() > expires {
		return ports.KYCFile{}, nil, notFound
	}
	f, err := s.Store.GetFile(ctx, id)
	if isCode(err, ports.CodeNotFound) {
		return ports.KYCFile{}, nil, notFound
	}
	if err != nil {
		return ports.KYCFile{}, nil, err
	}
	data, err := s.Blobs.Get(ctx, f.BlobKey)
	if isCode(err, ports.CodeNotFound) {
		s.Log.ErrorContext(ctx, "KYC file without its object", "file", f.ID)
		return ports.KYCFile{}, nil, notFound
	}
	if err != nil {
		return ports.KYCFile{}, nil, err
	}
	s.record(ctx, &f.UserID, "file.open", nil, map[string]string{"file": f.ID.String()})
	return f, data, nil
}
