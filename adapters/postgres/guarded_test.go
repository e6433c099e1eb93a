package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// A verification that loses to a concurrent one hits kyc_phones_verified_idx
// (its NOT EXISTS guard cannot see the other, uncommitted, row). Inside a
// caller's transaction that must be a CONFLICT the caller can tolerate: the
// transaction goes on and commits.
func TestVerifyPhoneConflictLeavesTheTransactionUsable(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	kycs, tx := postgres.NewKYCStore(db), postgres.NewTxRunner(db)
	a, b := newUser(t, db, "+447911200001"), newUser(t, db, "+447911200002")
	const number = "+447911299999"

	// a's verification, left uncommitted until b's statement waits on it.
	txA, err := db.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback()
	if _, err := txA.NewRaw(`INSERT INTO kyc_phones (id, user_id, number, verified_at, created_at)
		VALUES (?, ?, ?, ?, ?)`, uuid.New(), a.ID, number, t0, t0).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	type result struct {
		verifyErr, addErr, txErr error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.txErr = tx.InTx(ctx, func(ctx context.Context) error {
			_, r.verifyErr = kycs.VerifyPhone(ctx, b.ID, number, t0)
			if ports.ErrorCodeOf(r.verifyErr) != ports.CodeConflict {
				return r.verifyErr
			}
			// The caller tolerates the CONFLICT and carries on.
			_, r.addErr = kycs.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: b.ID, Number: "+447911288888", CreatedAt: t0})
			return r.addErr
		})
		done <- r
	}()

	// Wait (bounded) until b's INSERT is blocked on a's uncommitted row, so
	// that the guard has already missed it and the index decides.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var waiting int
		if err := db.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(ctx, &waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("b's transaction ended before a committed: %+v", r)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("b's verification never waited on a's row")
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, not timing
	}
	if err := txA.Commit(); err != nil {
		t.Fatal(err)
	}

	r := <-done
	if ports.ErrorCodeOf(r.verifyErr) != ports.CodeConflict {
		t.Fatalf("the losing verification: %v, want CONFLICT", r.verifyErr)
	}
	if r.addErr != nil || r.txErr != nil {
		t.Fatalf("the transaction did not survive the CONFLICT: add %v, commit %v", r.addErr, r.txErr)
	}
	phones, err := kycs.ListPhones(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(phones) != 1 || phones[0].Number != "+447911288888" || phones[0].VerifiedAt != nil {
		t.Fatalf("b's phones after commit: %+v", phones)
	}
	phones, err = kycs.ListPhones(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(phones) != 1 || phones[0].Number != number || phones[0].VerifiedAt == nil {
		t.Fatalf("a's phones: %+v", phones)
	}
}

// Without a transaction, and after a CONFLICT the guard itself answers,
// a transaction is as usable as after a success.
func TestGuardedStatementsInATransaction(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	kycs, tx := postgres.NewKYCStore(db), postgres.NewTxRunner(db)
	a, b := newUser(t, db, "+447911200011"), newUser(t, db, "+447911200012")
	const number = "+447911277777"
	if _, err := kycs.VerifyPhone(ctx, a.ID, number, t0); err != nil {
		t.Fatal(err)
	}
	err := tx.InTx(ctx, func(ctx context.Context) error {
		// A second PENDING submission hits kyc_submissions_pending_idx.
		first := kyc.Submission{ID: uuid.New(), UserID: b.ID, Country: "GB",
			DocumentID: addDoc(t, ctx, kycs, b.ID, "PASSPORT"), SelfieID: addDoc(t, ctx, kycs, b.ID, "SELFIE"), SubmittedAt: t0}
		if err := kycs.CreateSubmission(ctx, first); err != nil {
			return err
		}
		second := first
		second.ID = uuid.New()
		if err := kycs.CreateSubmission(ctx, second); ports.ErrorCodeOf(err) != ports.CodeConflict {
			t.Errorf("second PENDING submission: %v, want CONFLICT", err)
		}
		if _, err := kycs.VerifyPhone(ctx, b.ID, number, t0); ports.ErrorCodeOf(err) != ports.CodeConflict {
			t.Errorf("verifying a's number: %v, want CONFLICT", err)
		}
		_, err := kycs.VerifyPhone(ctx, b.ID, "+447911266666", t0)
		return err
	})
	if err != nil {
		t.Fatalf("transaction: %v", err)
	}
	latest, err := kycs.LatestSubmission(ctx, b.ID)
	if err != nil || latest.Status != kyc.StatusPending {
		t.Fatalf("submission after commit: %+v, %v", latest, err)
	}
	phones, err := kycs.ListPhones(ctx, b.ID)
	if err != nil || len(phones) != 1 || phones[0].Number != "+447911266666" || phones[0].VerifiedAt == nil {
		t.Fatalf("b's phones after commit: %+v, %v", phones, err)
	}
}

// addDoc stores a live document of typ (with its file) for userID.
func addDoc(t *testing.T, ctx context.Context, kycs *postgres.KYCStore, userID uuid.UUID, typ string) uuid.UUID {
	t.Helper()
	purpose := kyc.FileDocumentFront
	if typ == "SELFIE" {
		purpose = kyc.FileSelfie
	}
	f := kyc.File{ID: uuid.New(), UserID: userID, Purpose: purpose, ContentType: "image/jpeg", Size: 10,
		Width: 1, Height: 1, SHA256: make([]byte, 32), BlobKey: "kyc/" + uuid.NewString(), CreatedAt: t0}
	if err := kycs.CreateFile(ctx, f); err != nil {
		t.Fatal(err)
	}
	d := kyc.Document{ID: uuid.New(), UserID: userID, Type: typ, FrontFileID: f.ID, CreatedAt: t0}
	if err := kycs.ReplaceDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	return d.ID
}
