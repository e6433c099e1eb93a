package kyctest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var (
	_ kyc.Profiles    = (*Store)(nil)
	_ kyc.Documents   = (*Store)(nil)
	_ kyc.Submissions = (*Store)(nil)
	_ kyc.Labels      = (*Store)(nil)
	_ kyc.Phones      = (*Store)(nil)
)

// Store implements every one of kyc's stores in memory (StoresOf gives
// it as kyc.Stores). Like the database it keeps one PENDING submission per
// user, one live document per type per user, one label per key, one record
// per title and a number verified for one user at most. Foreign keys
// (users, files, documents) are not checked.
type Store struct {
	mu        sync.Mutex
	profiles  map[uuid.UUID]kyc.Profile
	files     map[uuid.UUID]kyc.File
	documents map[uuid.UUID]kyc.Document
	subs      map[uuid.UUID]kyc.Submission
	labels    map[uuid.UUID]map[string]kyc.Label
	rules     []kyc.LevelRule
	phones    map[uuid.UUID]kyc.Phone
	records   map[uuid.UUID]map[string]kyc.DataRecord
}

// DefaultLevelRules are the rules the migration seeds.
func DefaultLevelRules() []kyc.LevelRule {
	return []kyc.LevelRule{
		{Level: 1, Key: "phone", Value: "verified", Description: "Phone number verified by a code"},
		{Level: 2, Key: "email", Value: "verified", Description: "Email address verified by a code"},
		{Level: 2, Key: "profile", Value: "verified", Description: "Profile completed and confirmed by its owner"},
		{Level: 3, Key: "document", Value: "verified", Description: "Identity document approved by compliance"},
		{Level: 3, Key: "selfie", Value: "verified", Description: "Selfie approved by compliance"},
	}
}

// NewStore returns an empty store with the migration's level rules.
func NewStore() *Store {
	return &Store{
		profiles:  map[uuid.UUID]kyc.Profile{},
		files:     map[uuid.UUID]kyc.File{},
		documents: map[uuid.UUID]kyc.Document{},
		subs:      map[uuid.UUID]kyc.Submission{},
		labels:    map[uuid.UUID]map[string]kyc.Label{},
		rules:     DefaultLevelRules(),
		phones:    map[uuid.UUID]kyc.Phone{},
		records:   map[uuid.UUID]map[string]kyc.DataRecord{},
	}
}

// StoresOf returns s as every one of kyc's stores.
func StoresOf(s *Store) kyc.Stores {
	return kyc.Stores{Profiles: s, Documents: s, Submissions: s, Labels: s, Phones: s}
}

// SetLevelRules replaces the level rules (tests of other levels).
func (s *Store) SetLevelRules(rules []kyc.LevelRule) {
	s.mu.Lock()
	s.rules = slices.Clone(rules)
	s.mu.Unlock()
}

// errNotObject mirrors the tables' CHECK (jsonb_typeof(…) = 'object').
var errNotObject = errors.New("portsfake: JSON column must hold an object")

// jsonObject returns a copy of raw, "{}" when empty, or errNotObject.
func jsonObject(raw json.RawMessage, emptyOK bool) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		if !emptyOK {
			return nil, errNotObject
		}
		return json.RawMessage("{}"), nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, errNotObject
	}
	return bytes.Clone(raw), nil
}

func cloneRaw(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("{}")
	}
	return bytes.Clone(raw)
}

func compareID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// afterCursor reports whether (at, id) comes after c.
func afterCursor(at time.Time, id uuid.UUID, c *kyc.SubmissionCursor) bool {
	if c == nil {
		return true
	}
	if d := at.Compare(c.SubmittedAt); d != 0 {
		return d > 0
	}
	return compareID(id, c.ID) > 0
}

// listLimit is the bound the adapters put on a page: 100 when limit is not
// positive, at most 1000.
func listLimit(limit int) int {
	if limit <= 0 {
		return 100
	}
	return min(limit, 1000)
}

// checkViolation mirrors a CHECK constraint or a bad date of the tables:
// a plain error, INTERNAL to services, as from the adapters.
func checkViolation(format string, args ...any) error {
	return fmt.Errorf("portsfake: "+format, args...)
}

var (
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	labelKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)
)

func checkDate(field, s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return checkViolation("%s %q is not a YYYY-MM-DD date", field, s)
	}
	return nil
}

func stateConflict(msg string) error {
	return &ports.Error{Code: ports.CodeConflict, Message: msg, Cause: ports.ErrConflict}
}

// --- profiles

func cloneProfile(p kyc.Profile) kyc.Profile {
	p.Metadata, p.ConfirmedAt = cloneRaw(p.Metadata), portstest.Clone(p.ConfirmedAt)
	return p
}

func (s *Store) GetProfile(ctx context.Context, userID uuid.UUID) (kyc.Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[userID]
	if !ok {
		return kyc.Profile{}, ports.ErrNotFound
	}
	return cloneProfile(p), nil
}

// UpsertProfile creates or replaces the profile (CreatedAt kept on
// replace). With unlessConfirmed a confirmed profile is a CONFLICT.
func (s *Store) UpsertProfile(ctx context.Context, p kyc.Profile, unlessConfirmed bool) (kyc.Profile, error) {
	if err := checkDate("date of birth", p.DateOfBirth); err != nil {
		return kyc.Profile{}, err
	}
	if p.Country != "" && !countryRE.MatchString(p.Country) {
		return kyc.Profile{}, checkViolation("country %q is not ISO 3166-1 alpha-2", p.Country)
	}
	meta, err := jsonObject(p.Metadata, true)
	if err != nil {
		return kyc.Profile{}, err
	}
	p.Metadata, p.ConfirmedAt = meta, portstest.Clone(p.ConfirmedAt)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.profiles[p.UserID]; ok {
		if unlessConfirmed && old.ConfirmedAt != nil {
			return kyc.Profile{}, stateConflict("the profile is confirmed")
		}
		p.CreatedAt = old.CreatedAt
	}
	s.profiles[p.UserID] = p
	return cloneProfile(p), nil
}

// --- files

func cloneFile(f kyc.File) kyc.File {
	f.SHA256 = bytes.Clone(f.SHA256)
	return f
}

// CreateFile inserts f; a taken ID or blob key is a CONFLICT.
func (s *Store) CreateFile(ctx context.Context, f kyc.File) error {
	switch {
	case !slices.Contains([]string{kyc.FileDocumentFront, kyc.FileDocumentBack, kyc.FileSelfie}, f.Purpose):
		return checkViolation("invalid file purpose %q", f.Purpose)
	case !slices.Contains([]string{"image/jpeg", "image/png", "application/pdf"}, f.ContentType):
		return checkViolation("invalid content type %q", f.ContentType)
	case f.Size <= 0 || f.Width < 0 || f.Height < 0:
		return checkViolation("invalid file size")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.files[f.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.files {
		if o.BlobKey == f.BlobKey {
			return conflict("", "")
		}
	}
	s.files[f.ID] = cloneFile(f)
	return nil
}

func (s *Store) GetFile(ctx context.Context, id uuid.UUID) (kyc.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return kyc.File{}, ports.ErrNotFound
	}
	return cloneFile(f), nil
}

// --- documents

func cloneDocument(d kyc.Document) kyc.Document {
	d.Metadata, d.BackFileID, d.ReplacedAt = cloneRaw(d.Metadata), portstest.Clone(d.BackFileID), portstest.Clone(d.ReplacedAt)
	return d
}

var documentTypes = []string{"NATIONAL_ID", "PASSPORT", "DRIVER_LICENSE", "RESIDENCE_PERMIT", "UTILITY_BILL", "SELFIE"}

// ReplaceDocument marks the user's live document of d.Type replaced at
// d.CreatedAt and stores d as the live one.
func (s *Store) ReplaceDocument(ctx context.Context, d kyc.Document) error {
	if !slices.Contains(documentTypes, d.Type) {
		return checkViolation("invalid document type %q", d.Type)
	}
	if err := checkDate("expiry date", d.ExpiresOn); err != nil {
		return err
	}
	meta, err := jsonObject(d.Metadata, true)
	if err != nil {
		return err
	}
	d.Metadata, d.ReplacedAt = meta, nil
	d.BackFileID = portstest.Clone(d.BackFileID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.documents[d.ID]; ok {
		return conflict("", "")
	}
	for id, o := range s.documents {
		if o.UserID == d.UserID && o.Type == d.Type && o.ReplacedAt == nil {
			at := d.CreatedAt
			o.ReplacedAt = &at
			s.documents[id] = o
		}
	}
	s.documents[d.ID] = d
	return nil
}

// AddDocument stores d as given (ReplacedAt included) without touching the
// live documents; a live d next to a live one of its type is a CONFLICT,
// as in the database.
func (s *Store) AddDocument(ctx context.Context, d kyc.Document) error {
	if !slices.Contains(documentTypes, d.Type) {
		return checkViolation("invalid document type %q", d.Type)
	}
	if err := checkDate("expiry date", d.ExpiresOn); err != nil {
		return err
	}
	meta, err := jsonObject(d.Metadata, true)
	if err != nil {
		return err
	}
	d.Metadata = meta
	d = cloneDocument(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.documents[d.ID]; ok {
		return conflict("", "")
	}
	if d.ReplacedAt == nil {
		for _, o := range s.documents {
			if o.UserID == d.UserID && o.Type == d.Type && o.ReplacedAt == nil {
				return conflict("", "")
			}
		}
	}
	s.documents[d.ID] = d
	return nil
}

func (s *Store) GetDocument(ctx context.Context, id uuid.UUID) (kyc.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.documents[id]
	if !ok {
		return kyc.Document{}, ports.ErrNotFound
	}
	return cloneDocument(d), nil
}

// LiveDocuments returns the user's live documents ordered by type.
func (s *Store) LiveDocuments(ctx context.Context, userID uuid.UUID) ([]kyc.Document, error) {
	s.mu.Lock()
	var out []kyc.Document
	for _, d := range s.documents {
		if d.UserID == userID && d.ReplacedAt == nil {
			out = append(out, cloneDocument(d))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.Document) int { return cmp.Compare(a.Type, b.Type) })
	return out, nil
}

// conflict is a CONFLICT *ports.Error, naming field when not empty, as
// the database's unique indexes answer.
func conflict(field, problem string) error {
	e := &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
	if field != "" {
		e.Fields = map[string]string{field: problem}
	}
	return e
}
