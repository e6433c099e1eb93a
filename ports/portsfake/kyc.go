package portsfake

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
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.KYCStore = (*KYCStore)(nil)

// KYCStore implements ports.KYCStore in memory. Like the database it keeps
// one PENDING submission per user, one live document per type per user,
// one label per key, one record per title and a number verified for one
// user at most. Foreign keys (users, files, documents) are not checked.
type KYCStore struct {
	mu        sync.Mutex
	profiles  map[uuid.UUID]ports.Profile
	files     map[uuid.UUID]ports.KYCFile
	documents map[uuid.UUID]ports.Document
	subs      map[uuid.UUID]ports.KYCSubmission
	labels    map[uuid.UUID]map[string]ports.Label
	rules     []ports.LevelRule
	phones    map[uuid.UUID]ports.KYCPhone
	records   map[uuid.UUID]map[string]ports.DataRecord
	resets    map[uuid.UUID]ports.PINReset
}

// DefaultLevelRules are the rules the migration seeds.
func DefaultLevelRules() []ports.LevelRule {
	return []ports.LevelRule{
		{Level: 1, Key: "phone", Value: "verified", Description: "Phone number verified by a code"},
		{Level: 2, Key: "email", Value: "verified", Description: "Email address verified by a code"},
		{Level: 2, Key: "profile", Value: "verified", Description: "Profile completed and confirmed by its owner"},
		{Level: 3, Key: "document", Value: "verified", Description: "Identity document approved by compliance"},
		{Level: 3, Key: "selfie", Value: "verified", Description: "Selfie approved by compliance"},
	}
}

// NewKYCStore returns an empty store with the migration's level rules.
func NewKYCStore() *KYCStore {
	return &KYCStore{
		profiles:  map[uuid.UUID]ports.Profile{},
		files:     map[uuid.UUID]ports.KYCFile{},
		documents: map[uuid.UUID]ports.Document{},
		subs:      map[uuid.UUID]ports.KYCSubmission{},
		labels:    map[uuid.UUID]map[string]ports.Label{},
		rules:     DefaultLevelRules(),
		phones:    map[uuid.UUID]ports.KYCPhone{},
		records:   map[uuid.UUID]map[string]ports.DataRecord{},
		resets:    map[uuid.UUID]ports.PINReset{},
	}
}

// SetLevelRules replaces the level rules (tests of other levels).
func (s *KYCStore) SetLevelRules(rules []ports.LevelRule) {
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
func afterCursor(at time.Time, id uuid.UUID, c *ports.SubmissionCursor) bool {
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

func cloneProfile(p ports.Profile) ports.Profile {
	p.Metadata, p.ConfirmedAt = cloneRaw(p.Metadata), cloneTime(p.ConfirmedAt)
	return p
}

func (s *KYCStore) GetProfile(ctx context.Context, userID uuid.UUID) (ports.Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[userID]
	if !ok {
		return ports.Profile{}, ports.ErrNotFound
	}
	return cloneProfile(p), nil
}

// UpsertProfile creates or replaces the profile (CreatedAt kept on
// replace). With unlessConfirmed a confirmed profile is a CONFLICT.
func (s *KYCStore) UpsertProfile(ctx context.Context, p ports.Profile, unlessConfirmed bool) (ports.Profile, error) {
	if err := checkDate("date of birth", p.DateOfBirth); err != nil {
		return ports.Profile{}, err
	}
	if p.Country != "" && !countryRE.MatchString(p.Country) {
		return ports.Profile{}, checkViolation("country %q is not ISO 3166-1 alpha-2", p.Country)
	}
	meta, err := jsonObject(p.Metadata, true)
	if err != nil {
		return ports.Profile{}, err
	}
	p.Metadata, p.ConfirmedAt = meta, cloneTime(p.ConfirmedAt)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.profiles[p.UserID]; ok {
		if unlessConfirmed && old.ConfirmedAt != nil {
			return ports.Profile{}, stateConflict("the profile is confirmed")
		}
		p.CreatedAt = old.CreatedAt
	}
	s.profiles[p.UserID] = p
	return cloneProfile(p), nil
}

// --- files

func cloneFile(f ports.KYCFile) ports.KYCFile {
	f.SHA256 = bytes.Clone(f.SHA256)
	return f
}

// CreateFile inserts f; a taken ID or blob key is a CONFLICT.
func (s *KYCStore) CreateFile(ctx context.Context, f ports.KYCFile) error {
	switch {
	case !slices.Contains([]string{ports.FileDocumentFront, ports.FileDocumentBack, ports.FileSelfie}, f.Purpose):
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

func (s *KYCStore) GetFile(ctx context.Context, id uuid.UUID) (ports.KYCFile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return ports.KYCFile{}, ports.ErrNotFound
	}
	return cloneFile(f), nil
}

// --- documents

func cloneDocument(d ports.Document) ports.Document {
	d.Metadata, d.BackFileID, d.ReplacedAt = cloneRaw(d.Metadata), cloneUUID(d.BackFileID), cloneTime(d.ReplacedAt)
	return d
}

var documentTypes = []string{"NATIONAL_ID", "PASSPORT", "DRIVER_LICENSE", "RESIDENCE_PERMIT", "UTILITY_BILL", "SELFIE"}

// ReplaceDocument marks the user's live document of d.Type replaced at
// d.CreatedAt and stores d as the live one.
func (s *KYCStore) ReplaceDocument(ctx context.Context, d ports.Document) error {
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
	d.BackFileID = cloneUUID(d.BackFileID)
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
func (s *KYCStore) AddDocument(ctx context.Context, d ports.Document) error {
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

func (s *KYCStore) GetDocument(ctx context.Context, id uuid.UUID) (ports.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.documents[id]
	if !ok {
		return ports.Document{}, ports.ErrNotFound
	}
	return cloneDocument(d), nil
}

// LiveDocuments returns the user's live documents ordered by type.
func (s *KYCStore) LiveDocuments(ctx context.Context, userID uuid.UUID) ([]ports.Document, error) {
	s.mu.Lock()
	var out []ports.Document
	for _, d := range s.documents {
		if d.UserID == userID && d.ReplacedAt == nil {
			out = append(out, cloneDocument(d))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Document) int { return cmp.Compare(a.Type, b.Type) })
	return out, nil
}

// --- submissions

func cloneSubmission(x ports.KYCSubmission) ports.KYCSubmission {
	x.DecidedAt, x.DecidedBy = cloneTime(x.DecidedAt), cloneUUID(x.DecidedBy)
	return x
}

// CreateSubmission stores x (status PENDING when empty); a second PENDING
// submission of a user is a CONFLICT.
func (s *KYCStore) CreateSubmission(ctx context.Context, x ports.KYCSubmission) error {
	if x.Status == "" {
		x.Status = ports.KYCPending
	}
	switch x.Status {
	case ports.KYCPending, ports.KYCApproved, ports.KYCRejected:
	default:
		return fmt.Errorf("portsfake: invalid submission status %q", x.Status)
	}
	if (x.Status == ports.KYCPending) != (x.DecidedAt == nil) {
		return errors.New("portsfake: a submission is decided exactly when it is not PENDING")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[x.ID]; ok {
		return conflict("", "")
	}
	if x.Status == ports.KYCPending {
		for _, o := range s.subs {
			if o.UserID == x.UserID && o.Status == ports.KYCPending {
				return stateConflict("a submission is already waiting for review")
			}
		}
	}
	s.subs[x.ID] = cloneSubmission(x)
	return nil
}

func (s *KYCStore) GetSubmission(ctx context.Context, id uuid.UUID) (ports.KYCSubmission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.subs[id]
	if !ok {
		return ports.KYCSubmission{}, ports.ErrNotFound
	}
	return cloneSubmission(x), nil
}

func compareSubmissions(a, b ports.KYCSubmission) int {
	if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
		return c
	}
	return compareID(a.ID, b.ID)
}

// LatestSubmission returns the user's newest submission (SubmittedAt, ID).
func (s *KYCStore) LatestSubmission(ctx context.Context, userID uuid.UUID) (ports.KYCSubmission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		best  ports.KYCSubmission
		found bool
	)
	for _, x := range s.subs {
		if x.UserID == userID && (!found || compareSubmissions(x, best) > 0) {
			best, found = x, true
		}
	}
	if !found {
		return ports.KYCSubmission{}, ports.ErrNotFound
	}
	return cloneSubmission(best), nil
}

// ListSubmissions returns the submissions q selects, oldest first, after
// q.After, at most q.Limit (100 when not positive, never more than 1000).
func (s *KYCStore) ListSubmissions(ctx context.Context, q ports.SubmissionQuery) ([]ports.KYCSubmission, error) {
	s.mu.Lock()
	var out []ports.KYCSubmission
	for _, x := range s.subs {
		switch {
		case q.Status != "" && x.Status != q.Status,
			q.Country != "" && x.Country != q.Country,
			q.From != nil && x.SubmittedAt.Before(*q.From),
			q.To != nil && !x.SubmittedAt.Before(*q.To),
			!afterCursor(x.SubmittedAt, x.ID, q.After):
			continue
		}
		out = append(out, cloneSubmission(x))
	}
	s.mu.Unlock()
	slices.SortFunc(out, compareSubmissions)
	if n := listLimit(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// DecideSubmission moves a PENDING submission to status; any other status
// is a CONFLICT.
func (s *KYCStore) DecideSubmission(ctx context.Context, id uuid.UUID, status, reason string, by uuid.UUID, at time.Time) (ports.KYCSubmission, error) {
	if status != ports.KYCApproved && status != ports.KYCRejected {
		return ports.KYCSubmission{}, fmt.Errorf("portsfake: a decision must be APPROVED or REJECTED, not %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.subs[id]
	if !ok {
		return ports.KYCSubmission{}, ports.ErrNotFound
	}
	if x.Status != ports.KYCPending {
		return ports.KYCSubmission{}, stateConflict("the submission is already decided")
	}
	decider := by
	x.Status, x.Reason, x.DecidedAt, x.DecidedBy = status, reason, &at, &decider
	s.subs[id] = x
	return cloneSubmission(x), nil
}

// --- labels and levels

func (s *KYCStore) GetLabel(ctx context.Context, userID uuid.UUID, key string) (ports.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.labels[userID][key]
	if !ok {
		return ports.Label{}, ports.ErrNotFound
	}
	return l, nil
}

// SetLabel creates or replaces the label with l.Key (CreatedAt kept on
// replace).
func (s *KYCStore) SetLabel(ctx context.Context, l ports.Label) (ports.Label, error) {
	if l.Scope != ports.ScopePublic && l.Scope != ports.ScopePrivate {
		return ports.Label{}, fmt.Errorf("portsfake: invalid label scope %q", l.Scope)
	}
	if !labelKeyRE.MatchString(l.Key) {
		return ports.Label{}, checkViolation("invalid label key %q", l.Key)
	}
	if n := utf8.RuneCountInString(l.Value); n < 1 || n > 255 {
		return ports.Label{}, checkViolation("a label value has 1 to 255 characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.labels[l.UserID]
	if m == nil {
		m = map[string]ports.Label{}
		s.labels[l.UserID] = m
	}
	if old, ok := m[l.Key]; ok {
		l.CreatedAt = old.CreatedAt
	}
	m[l.Key] = l
	return l, nil
}

func (s *KYCStore) DeleteLabel(ctx context.Context, userID uuid.UUID, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.labels[userID][key]; !ok {
		return false, nil
	}
	delete(s.labels[userID], key)
	return true, nil
}

// ListLabels returns the user's labels ordered by key.
func (s *KYCStore) ListLabels(ctx context.Context, userID uuid.UUID) ([]ports.Label, error) {
	s.mu.Lock()
	var out []ports.Label
	for _, l := range s.labels[userID] {
		out = append(out, l)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Label) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// LevelRules returns the rules ordered by level, then key.
func (s *KYCStore) LevelRules(ctx context.Context) ([]ports.LevelRule, error) {
	s.mu.Lock()
	out := slices.Clone(s.rules)
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.LevelRule) int {
		if c := cmp.Compare(a.Level, b.Level); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out, nil
}

// --- phones

func clonePhone(p ports.KYCPhone) ports.KYCPhone {
	p.VerifiedAt = cloneTime(p.VerifiedAt)
	return p
}

// findPhone returns the user's record of number; s.mu must be held.
func (s *KYCStore) findPhone(userID uuid.UUID, number string) (ports.KYCPhone, bool) {
	for _, p := range s.phones {
		if p.UserID == userID && p.Number == number {
			return p, true
		}
	}
	return ports.KYCPhone{}, false
}

// AddPhone stores p unverified, or returns the user's existing record of
// p.Number.
func (s *KYCStore) AddPhone(ctx context.Context, p ports.KYCPhone) (ports.KYCPhone, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.findPhone(p.UserID, p.Number); ok {
		return clonePhone(old), nil
	}
	if _, ok := s.phones[p.ID]; ok {
		return ports.KYCPhone{}, conflict("", "")
	}
	p.VerifiedAt = nil
	s.phones[p.ID] = p
	return p, nil
}

// VerifyPhone marks the user's number verified at at (an already verified
// record keeps its time), adding the record when missing; a number
// another user has verified is a CONFLICT on "phone".
func (s *KYCStore) VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (ports.KYCPhone, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.phones {
		if o.Number == number && o.UserID != userID && o.VerifiedAt != nil {
			return ports.KYCPhone{}, conflict("phone", "is already verified by another user")
		}
	}
	p, ok := s.findPhone(userID, number)
	if !ok {
		p = ports.KYCPhone{ID: uuid.New(), UserID: userID, Number: number, CreatedAt: at}
	}
	if p.VerifiedAt == nil {
		v := at
		p.VerifiedAt = &v
	}
	s.phones[p.ID] = p
	return clonePhone(p), nil
}

// ListPhones returns the user's numbers oldest first.
func (s *KYCStore) ListPhones(ctx context.Context, userID uuid.UUID) ([]ports.KYCPhone, error) {
	s.mu.Lock()
	var out []ports.KYCPhone
	for _, p := range s.phones {
		if p.UserID == userID {
			out = append(out, clonePhone(p))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.KYCPhone) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

// --- data records

func cloneRecord(r ports.DataRecord) ports.DataRecord {
	r.Data = cloneRaw(r.Data)
	return r
}

// PutDataRecord creates or replaces the record with r.Title (CreatedAt
// kept on replace); r.Data must be a JSON object.
func (s *KYCStore) PutDataRecord(ctx context.Context, r ports.DataRecord) (ports.DataRecord, error) {
	if n := utf8.RuneCountInString(r.Title); n < 1 || n > 64 {
		return ports.DataRecord{}, checkViolation("a record title has 1 to 64 characters")
	}
	data, err := jsonObject(r.Data, false)
	if err != nil {
		return ports.DataRecord{}, err
	}
	r.Data = data
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.records[r.UserID]
	if m == nil {
		m = map[string]ports.DataRecord{}
		s.records[r.UserID] = m
	}
	if old, ok := m[r.Title]; ok {
		r.CreatedAt = old.CreatedAt
	}
	m[r.Title] = r
	return cloneRecord(r), nil
}

// ListDataRecords returns the user's records ordered by title.
func (s *KYCStore) ListDataRecords(ctx context.Context, userID uuid.UUID) ([]ports.DataRecord, error) {
	s.mu.Lock()
	var out []ports.DataRecord
	for _, r := range s.records[userID] {
		out = append(out, cloneRecord(r))
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.DataRecord) int { return cmp.Compare(a.Title, b.Title) })
	return out, nil
}

func (s *KYCStore) DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[userID][title]; !ok {
		return false, nil
	}
	delete(s.records[userID], title)
	return true, nil
}

// --- PIN resets

func cloneReset(r ports.PINReset) ports.PINReset {
	r.TicketHash = bytes.Clone(r.TicketHash)
	r.DocumentID, r.SelfieFileID, r.DecidedBy = cloneUUID(r.DocumentID), cloneUUID(r.SelfieFileID), cloneUUID(r.DecidedBy)
	r.DecidedAt, r.CompletedAt = cloneTime(r.DecidedAt), cloneTime(r.CompletedAt)
	return r
}

var pinResetStatuses = []string{ports.PINResetDocumentRequired, ports.PINResetSelfieRequired, ports.PINResetPendingReview,
	ports.PINResetApproved, ports.PINResetRejected, ports.PINResetCompleted}

// CreatePINReset inserts r; a taken ID or ticket hash is a CONFLICT.
func (s *KYCStore) CreatePINReset(ctx context.Context, r ports.PINReset) error {
	if !slices.Contains(pinResetStatuses, r.Status) {
		return checkViolation("invalid PIN reset status %q", r.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.resets[r.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.resets {
		if bytes.Equal(o.TicketHash, r.TicketHash) {
			return conflict("", "")
		}
		if o.UserID == r.UserID && slices.Contains(openResetStatuses, o.Status) &&
			slices.Contains(openResetStatuses, r.Status) {
			return conflict("", "") // pin_resets_open_idx
		}
	}
	s.resets[r.ID] = cloneReset(r)
	return nil
}

// openResetStatuses are the statuses of a reset still under way.
var openResetStatuses = []string{ports.PINResetDocumentRequired, ports.PINResetSelfieRequired,
	ports.PINResetPendingReview, ports.PINResetApproved}

func (s *KYCStore) OpenPINResetsOf(ctx context.Context, userID uuid.UUID) ([]ports.PINReset, error) {
	s.mu.Lock()
	var out []ports.PINReset
	for _, r := range s.resets {
		if r.UserID == userID && slices.Contains(openResetStatuses, r.Status) {
			out = append(out, cloneReset(r))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.PINReset) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

func (s *KYCStore) GetPINReset(ctx context.Context, id uuid.UUID) (ports.PINReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return ports.PINReset{}, ports.ErrNotFound
	}
	return cloneReset(r), nil
}

func (s *KYCStore) FindPINReset(ctx context.Context, ticketHash []byte) (ports.PINReset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.resets {
		if bytes.Equal(r.TicketHash, ticketHash) {
			return cloneReset(r), nil
		}
	}
	return ports.PINReset{}, ports.ErrNotFound
}

// TransitionPINReset applies c when the reset's status is one of from;
// otherwise a CONFLICT (ErrNotFound when there is no such reset).
func (s *KYCStore) TransitionPINReset(ctx context.Context, id uuid.UUID, from []string, c ports.PINResetChange) (ports.PINReset, error) {
	if !slices.Contains(pinResetStatuses, c.Status) {
		return ports.PINReset{}, checkViolation("invalid PIN reset status %q", c.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.resets[id]
	if !ok {
		return ports.PINReset{}, ports.ErrNotFound
	}
	if !slices.Contains(from, r.Status) {
		return ports.PINReset{}, stateConflict("the PIN reset is not in a state that allows this")
	}
	r.Status = c.Status
	if c.DocumentID != nil {
		r.DocumentID = cloneUUID(c.DocumentID)
	}
	if c.DocumentUploaded {
		r.DocumentUploaded = true
	}
	if c.SelfieFileID != nil {
		r.SelfieFileID = cloneUUID(c.SelfieFileID)
	}
	if c.Reason != "" {
		r.Reason = c.Reason
	}
	if c.DecidedAt != nil {
		r.DecidedAt = cloneTime(c.DecidedAt)
	}
	if c.DecidedBy != nil {
		r.DecidedBy = cloneUUID(c.DecidedBy)
	}
	if c.CompletedAt != nil {
		r.CompletedAt = cloneTime(c.CompletedAt)
	}
	s.resets[id] = r
	return cloneReset(r), nil
}

// ListPINResets returns the resets in status, oldest first (CreatedAt,
// ID), after the cursor, at most limit (100 when not positive, never more
// than 1000).
func (s *KYCStore) ListPINResets(ctx context.Context, status string, after *ports.SubmissionCursor, limit int) ([]ports.PINReset, error) {
	s.mu.Lock()
	var out []ports.PINReset
	for _, r := range s.resets {
		if r.Status == status && afterCursor(r.CreatedAt, r.ID, after) {
			out = append(out, cloneReset(r))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.PINReset) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	if n := listLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}
