package kyc

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/ports"
)

// Bounds of data records.
const (
	MaxDataRecords     = 50
	maxDataRecordBytes = 16 << 10
)

// MyDataRecords lists the caller's records by title.
func (s *PersonalData) MyDataRecords(ctx context.Context) ([]DataRecord, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.profiles.ListDataRecords(ctx, c.UserID)
}

// DataRecordsOf lists a user's records to the user or to staff. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (s *PersonalData) DataRecordsOf(ctx context.Context, userID uuid.UUID) ([]DataRecord, error) {
	if _, err := s.readerOf(ctx, opReadRecords, userID); err != nil {
		return nil, err
	}
	return readDataRecords(ctx, s.profiles, userID)
}

// PutMyDataRecord creates or replaces the caller's record titled title
// (1 to 64 characters) with data (a JSON object of at most 16 KiB); a user
// keeps at most 50 records. Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func (s *PersonalData) PutMyDataRecord(ctx context.Context, title string, data map[string]any) (DataRecord, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return DataRecord{}, err
	}
	r := DataRecord{UserID: c.UserID}
	var errs []error
	r.Title, err = text("title", title, 1, 64)
	errs = append(errs, err)
	if data == nil {
		errs = append(errs, ports.InvalidField("data", "is required"))
	} else {
		r.Data, err = jsonobj.Encode("data", data, maxDataRecordBytes)
		errs = append(errs, err)
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return DataRecord{}, err
	}
	var out DataRecord
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// Counted under the user's lock: two requests cannot both see 49.
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		records, err := s.profiles.ListDataRecords(ctx, c.UserID)
		if err != nil {
			return err
		}
		exists := false
		for _, old := range records {
			exists = exists || old.Title == r.Title
		}
		if !exists && len(records) >= MaxDataRecords {
			return ports.InvalidField("title", fmt.Sprintf("you have %d records already", MaxDataRecords))
		}
		now := s.clock.Now()
		r.CreatedAt, r.UpdatedAt = now, now
		out, err = s.profiles.PutDataRecord(ctx, r)
		return err
	})
	if err != nil {
		return DataRecord{}, err
	}
	return out, nil
}

// DeleteUserDataRecord lets COMPLIANCE, ADMIN and SUPERADMIN remove
// another user's record (never their own); false when there was none. The
// removal and one admin activity with the reason (1 to 500 characters)
// commit together. Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED,
// NOT_FOUND.
func (s *PersonalData) DeleteUserDataRecord(ctx context.Context, userID uuid.UUID, title, reason string) (bool, error) {
	c, err := s.decider(ctx, "deleteUserDataRecord")
	if err != nil {
		return false, err
	}
	title, terr := text("title", title, 1, 64)
	reason, rerr := reasonText("reason", reason)
	if err := ports.MergeInvalid(terr, rerr); err != nil {
		return false, err
	}
	details := map[string]string{"title": title}
	if userID == c.UserID {
		err := ports.Errorf(ports.CodeForbidden, "you may not change your own KYC data")
		s.recordStaff(ctx, c, userID, "data_record.delete", err, details)
		return false, err
	}
	ok := false
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := staffTarget(ctx, s.users, c, userID); err != nil {
			return err
		}
		var err error
		if ok, err = s.profiles.DeleteDataRecord(ctx, userID, title); err != nil {
			return err
		}
		input := map[string]any{"userId": userID.String(), "title": title, "reason": reason}
		if err := s.recordAdminTx(ctx, c, userID, "deleteUserDataRecord", reason, input); err != nil {
			return err
		}
		if !ok {
			return nil
		}
		return s.recordStaffTx(ctx, c, userID, "data_record.delete", nil, details)
	})
	if err != nil {
		s.recordStaff(ctx, c, userID, "data_record.delete", err, details)
		return false, err
	}
	ports.MarkAudited(ctx)
	return ok, nil
}
