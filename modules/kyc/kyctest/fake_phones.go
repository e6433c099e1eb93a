package kyctest

import (
	"cmp"
	"context"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// --- phones

func clonePhone(p kyc.Phone) kyc.Phone {
	p.VerifiedAt = portstest.Clone(p.VerifiedAt)
	return p
}

// findPhone returns the user's record of number; s.mu must be held.
func (s *Store) findPhone(userID uuid.UUID, number string) (kyc.Phone, bool) {
	for _, p := range s.phones {
		if p.UserID == userID && p.Number == number {
			return p, true
		}
	}
	return kyc.Phone{}, false
}

// AddPhone stores p unverified, or returns the user's existing record of
// p.Number.
func (s *Store) AddPhone(ctx context.Context, p kyc.Phone) (kyc.Phone, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.findPhone(p.UserID, p.Number); ok {
		return clonePhone(old), nil
	}
	if _, ok := s.phones[p.ID]; ok {
		return kyc.Phone{}, conflict("", "")
	}
	p.VerifiedAt = nil
	s.phones[p.ID] = p
	return p, nil
}

// VerifyPhone marks the user's number verified at at (an already verified
// record keeps its time), adding the record when missing; a number
// another user has verified is a CONFLICT on "phone".
func (s *Store) VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (kyc.Phone, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.phones {
		if o.Number == number && o.UserID != userID && o.VerifiedAt != nil {
			return kyc.Phone{}, conflict("phone", "is already verified by another user")
		}
	}
	p, ok := s.findPhone(userID, number)
	if !ok {
		p = kyc.Phone{ID: uuid.New(), UserID: userID, Number: number, CreatedAt: at}
	}
	if p.VerifiedAt == nil {
		v := at
		p.VerifiedAt = &v
	}
	s.phones[p.ID] = p
	return clonePhone(p), nil
}

// ListPhones returns the user's numbers oldest first.
func (s *Store) ListPhones(ctx context.Context, userID uuid.UUID) ([]kyc.Phone, error) {
	s.mu.Lock()
	var out []kyc.Phone
	for _, p := range s.phones {
		if p.UserID == userID {
			out = append(out, clonePhone(p))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.Phone) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

// --- data records

func cloneRecord(r kyc.DataRecord) kyc.DataRecord {
	r.Data = cloneRaw(r.Data)
	return r
}

// PutDataRecord creates or replaces the record with r.Title (CreatedAt
// kept on replace); r.Data must be a JSON object.
func (s *Store) PutDataRecord(ctx context.Context, r kyc.DataRecord) (kyc.DataRecord, error) {
	if n := utf8.RuneCountInString(r.Title); n < 1 || n > 64 {
		return kyc.DataRecord{}, checkViolation("a record title has 1 to 64 characters")
	}
	data, err := jsonObject(r.Data, false)
	if err != nil {
		return kyc.DataRecord{}, err
	}
	r.Data = data
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.records[r.UserID]
	if m == nil {
		m = map[string]kyc.DataRecord{}
		s.records[r.UserID] = m
	}
	if old, ok := m[r.Title]; ok {
		r.CreatedAt = old.CreatedAt
	}
	m[r.Title] = r
	return cloneRecord(r), nil
}

// ListDataRecords returns the user's records ordered by title.
func (s *Store) ListDataRecords(ctx context.Context, userID uuid.UUID) ([]kyc.DataRecord, error) {
	s.mu.Lock()
	var out []kyc.DataRecord
	for _, r := range s.records[userID] {
		out = append(out, cloneRecord(r))
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.DataRecord) int { return cmp.Compare(a.Title, b.Title) })
	return out, nil
}

func (s *Store) DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[userID][title]; !ok {
		return false, nil
	}
	delete(s.records[userID], title)
	return true, nil
}
