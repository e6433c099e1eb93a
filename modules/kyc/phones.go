package kyc

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// PhoneNumbers is the phone numbers users add to their KYC profile and
// prove with a code.
type PhoneNumbers struct {
	gate
	trail
	store   Phones
	users   Users
	codes   Codes
	labeler labeler
	tx      ports.TxRunner
	clock   ports.Clock
}

// NewPhoneNumbers returns the phone use cases; callers and rules decide
// who may read whose numbers (see gate).
func NewPhoneNumbers(phones Phones, labels Labels, users Users, codes Codes, callers ports.CallerSource, rules Rules,
	tx ports.TxRunner, clock ports.Clock, activities ports.ActivityLog, log *slog.Logger) *PhoneNumbers {
	return &PhoneNumbers{gate: gate{callers: callers, rules: rules},
		trail: trail{activities: activities, clock: clock, log: log}, store: phones, users: users, codes: codes,
		labeler: labeler{store: labels, users: users, clock: clock}, tx: tx, clock: clock}
}

// MaxPhones is how many numbers a user may add.
const MaxPhones = 10

// metaUserID is the OTP metadata key of the user who added a number.
const metaUserID = "userId"

// AddPhone records an unverified number for the caller and texts it a
// code (answer with VerifyPhone); the OTP module's limits apply. The
// number is stored before the code goes out, outside one transaction on
// purpose: the SMS must not wait on an open transaction, and an unanswered
// number stays unverified. Errors: UNAUTHENTICATED, VALIDATION_FAILED,
// CONFLICT (already verified), RATE_LIMITED.
func (s *PhoneNumbers) AddPhone(ctx context.Context, raw string) (otp.ChallengeView, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	number, err := contact.NormalizePhone("phone", raw)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// Counted under the user's lock: two requests cannot both see 9.
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		phones, err := s.store.ListPhones(ctx, c.UserID)
		if err != nil {
			return err
		}
		for _, p := range phones {
			if p.Number == number {
				if p.VerifiedAt != nil {
					return &ports.Error{Code: ports.CodeConflict, Message: "you have verified this number already",
						Fields: map[string]string{"phone": "is verified already"}}
				}
				return nil
			}
		}
		if len(phones) >= MaxPhones {
			return ports.InvalidField("phone", fmt.Sprintf("you have %d numbers already", MaxPhones))
		}
		_, err = s.store.AddPhone(ctx, Phone{ID: uuid.New(), UserID: c.UserID, Number: number,
			CreatedAt: s.clock.Now()})
		return err
	})
	if err != nil {
		return otp.ChallengeView{}, err
	}
	ch, err := s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposePhoneAdd, Channel: otp.ChannelSMS,
		To: number, Metadata: map[string]string{metaUserID: c.UserID.String()}})
	s.record(ctx, &c.UserID, "phone.add", err, nil)
	return ch, err
}

// VerifyPhone answers the code AddPhone sent: the number becomes verified
// for the caller, with the PRIVATE label phone=verified. Errors:
// UNAUTHENTICATED, VALIDATION_FAILED, NOT_FOUND (no such challenge of the
// caller), INVALID_CODE, CODE_EXPIRED, TOO_MANY_ATTEMPTS, CONFLICT
// (another user has the number verified).
func (s *PhoneNumbers) VerifyPhone(ctx context.Context, challengeID uuid.UUID, code string) (Phone, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Phone{}, err
	}
	if code == "" || len(code) > 16 {
		return Phone{}, ports.InvalidField("code", "is not a code we sent")
	}
	// A challenge for a number the caller never added is not theirs; ask
	// without touching it, so that nobody spends another user's tries.
	dest, err := s.codes.Destination(ctx, challengeID, otp.PurposePhoneAdd)
	if err != nil {
		return Phone{}, err
	}
	phones, err := s.store.ListPhones(ctx, c.UserID)
	if err != nil {
		return Phone{}, err
	}
	added := false
	for _, p := range phones {
		added = added || p.Number == dest
	}
	if !added {
		return Phone{}, ports.Errorf(ports.CodeNotFound, "no such challenge")
	}
	var out Phone
	_, err = s.codes.VerifyThen(ctx, challengeID, otp.PurposePhoneAdd, code, func(ctx context.Context, v otp.Verified) error {
		if v.Metadata[metaUserID] != c.UserID.String() {
			return ports.Errorf(ports.CodeNotFound, "no such challenge")
		}
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		var err error
		out, err = s.store.VerifyPhone(ctx, c.UserID, v.Destination, s.clock.Now())
		if err != nil {
			return err
		}
		_, err = s.labeler.apply(ctx, systemLabel(c.UserID, LabelPhone, "Phone number verified by a code"))
		return err
	})
	s.record(ctx, &c.UserID, "phone.verify", err, nil)
	if err != nil {
		return Phone{}, err
	}
	return out, nil
}

// MyPhones lists the caller's numbers, oldest first.
func (s *PhoneNumbers) MyPhones(ctx context.Context) ([]Phone, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.ListPhones(ctx, c.UserID)
}

// PhonesOf lists a user's numbers to the user or to staff. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (s *PhoneNumbers) PhonesOf(ctx context.Context, userID uuid.UUID) ([]Phone, error) {
	if _, err := s.readerOf(ctx, opReadPhones, userID); err != nil {
		return nil, err
	}
	return readPhones(ctx, s.store, userID)
}
