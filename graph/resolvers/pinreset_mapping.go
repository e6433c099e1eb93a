package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/pinreset"
)

func mapPINResetTicket(t pinreset.Ticket) *model.PinResetTicket {
	doc := model.PinResetDocumentDocumentRequired
	if t.DocumentOnFile {
		doc = model.PinResetDocumentDocumentOnFile
	}
	return &model.PinResetTicket{Ticket: t.Ticket, ExpiresAt: t.ExpiresAt, Document: doc,
		Status: model.PinResetStatus(t.Status)}
}

func progressOrErr(p pinreset.Progress, err error) (*model.PinResetProgress, error) {
	if err != nil {
		return nil, err
	}
	return &model.PinResetProgress{Status: model.PinResetStatus(p.Status), Reason: p.Reason, ExpiresAt: p.ExpiresAt}, nil
}

// resetUsers are the users of a page of resets.
func resetUsers(p pinreset.Page) []uuid.UUID {
	ids := make([]uuid.UUID, len(p.Items))
	for i, x := range p.Items {
		ids[i] = x.UserID
	}
	return ids
}

// resetFiles are the documents and selfies a page of resets names.
func resetFiles(p pinreset.Page) (documentIDs, fileIDs []uuid.UUID) {
	for _, x := range p.Items {
		if x.DocumentID != nil {
			documentIDs = append(documentIDs, *x.DocumentID)
		}
		if x.SelfieFileID != nil {
			fileIDs = append(fileIDs, *x.SelfieFileID)
		}
	}
	return documentIDs, fileIDs
}

// mapPINReset maps a reset for staff, with the document and selfie it
// names (its user has a resolver).
func (r *Resolver) mapPINReset(ctx context.Context, p pinreset.Reset) (*model.PinReset, error) {
	out := &model.PinReset{ID: p.ID.String(), User: &model.User{ID: p.UserID.String()},
		Status: model.PinResetStatus(p.Status), Reason: p.Reason, CreatedAt: p.CreatedAt, DecidedAt: p.DecidedAt,
		DocumentUploaded: p.DocumentUploaded}
	if p.DocumentID != nil {
		d, err := r.KYC.Files.DocumentByID(ctx, *p.DocumentID)
		if err != nil {
			return nil, err
		}
		out.Document = mapDocument(d)
	}
	if p.SelfieFileID != nil {
		f, err := r.KYC.Files.FileByID(ctx, *p.SelfieFileID)
		if err != nil {
			return nil, err
		}
		out.Selfie = mapFile(f)
	}
	return out, nil
}

func (r *Resolver) pinResetOrErr(ctx context.Context, p pinreset.Reset, err error) (*model.PinReset, error) {
	if err != nil {
		return nil, err
	}
	return r.mapPINReset(ctx, p)
}
