package pinreset_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetWithoutDocumentUploadsOne(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	require.Equal(t, pinreset.DocumentRequired, tk.Status)
	require.False(t, tk.DocumentOnFile)

	// No selfie before the document.
	_, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "DOCUMENT_REQUIRED")

	// Bad input, each refused with nothing stored.
	for _, bad := range []struct {
		in    pinreset.DocumentInput
		field string
	}{
		{pinreset.DocumentInput{Type: "UTILITY_BILL", Number: "X1", Front: pinResetPNG(t)}, "type"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: " ", Front: pinResetPNG(t)}, "number"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: strings.Repeat("9", 65), Front: pinResetPNG(t)}, "number"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: "X1"}, "front"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: "X1", Front: pinResetPNG(t),
			Back: pinResetUpload("b.jpg", []byte("#!/bin/sh\nrm -rf /\n"))}, "back"},
	} {
		bad.in.Ticket = tk.Ticket
		_, err := e.svc.Steps.UploadDocument(e.ctx(), bad.in)
		perr := errtest.Code(t, err, ports.CodeValidationFailed)
		require.Contains(t, perr.Fields, bad.field)
	}
	require.Zero(t, e.blobs.Len())

	p, err := e.svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "NATIONAL_ID",
		Number: " 1990-123 456 ", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status)
	require.Equal(t, 2, e.blobs.Len())
	live, err := e.store.LiveDocuments(context.Background(), u.ID)
	require.NoError(t, err)
	require.Empty(t, live, "the upload never becomes the user's live document")
	r := e.resetOf(tk.Ticket)
	require.True(t, r.DocumentUploaded)
	require.NotNil(t, r.DocumentID)
	doc, err := e.store.GetDocument(context.Background(), *r.DocumentID)
	require.NoError(t, err)
	require.Equal(t, u.ID, doc.UserID)
	require.Equal(t, "NATIONAL_ID", doc.Type)
	require.Equal(t, "1990-123 456", doc.Number)
	require.NotNil(t, doc.BackFileID)
	require.NotNil(t, doc.ReplacedAt, "stored already replaced")
	require.Equal(t, doc.CreatedAt, *doc.ReplacedAt)

	// Only once.
	_, err = e.svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	errtest.Code(t, err, ports.CodeConflict)

	p, err = e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, p.Status)
	require.Equal(t, doc.ID, e.verifier.Checks()[0].DocumentID)
}

func TestPINResetDocumentUploadLeavesNothingWhenItFails(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	failing := e.parts
	failing.kycStores.Documents = pinResetFailingDocs{e.store}
	svc := failing.build(e.cfg)
	_, err := svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.Error(t, err)
	require.Zero(t, e.blobs.Len(), "stored objects are deleted again")
	p, err := e.svc.Steps.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.DocumentRequired, p.Status)
}
