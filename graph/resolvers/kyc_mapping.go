package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// jsonMap (accounts_mapping.go) decodes stored JSON objects.

func upload(u *graphql.Upload) *kyc.Upload {
	if u == nil {
		return nil
	}
	return &kyc.Upload{Filename: u.Filename, Size: u.Size, Content: u.File}
}

func mapProfile(p kyc.Profile) *model.Profile {
	return &model.Profile{FirstName: p.FirstName, LastName: p.LastName, DateOfBirth: p.DateOfBirth,
		Address: p.Address, Postcode: p.Postcode, City: p.City, Country: p.Country, Metadata: jsonMap(p.Metadata),
		Confirmed: p.ConfirmedAt != nil, ConfirmedAt: p.ConfirmedAt, UpdatedAt: p.UpdatedAt}
}

func profileOrErr(p kyc.Profile, err error) (*model.Profile, error) {
	if err != nil {
		return nil, err
	}
	return mapProfile(p), nil
}

func optionalProfile(p *kyc.Profile, err error) (*model.Profile, error) {
	if err != nil || p == nil {
		return nil, err
	}
	return mapProfile(*p), nil
}

func mapFile(v kyc.FileView) *model.KycFile {
	f := v.File
	return &model.KycFile{ID: f.ID.String(), ContentType: f.ContentType, Size: int(f.Size), Width: f.Width,
		Height: f.Height, URL: optional(v.URL), URLExpiresAt: v.URLExpiresAt, CreatedAt: f.CreatedAt}
}

func mapDocument(v kyc.DocumentView) *model.Document {
	d := v.Document
	out := &model.Document{ID: d.ID.String(), Type: model.DocumentType(d.Type), Number: d.Number,
		ExpiresOn: d.ExpiresOn, Metadata: jsonMap(d.Metadata), Front: mapFile(v.Front), CreatedAt: d.CreatedAt}
	if v.Back != nil {
		out.Back = mapFile(*v.Back)
	}
	return out
}

func mapSelfie(v kyc.SelfieView) *model.Selfie {
	return &model.Selfie{ID: v.Document.ID.String(), Image: mapFile(v.Image), CreatedAt: v.Document.CreatedAt}
}

func mapPhone(p kyc.Phone) model.Phone {
	return model.Phone{ID: p.ID.String(), Number: p.Number, Verified: p.VerifiedAt != nil,
		VerifiedAt: p.VerifiedAt, CreatedAt: p.CreatedAt}
}

func phonesOrErr(ps []kyc.Phone, err error) ([]model.Phone, error) {
	if err != nil {
		return nil, err
	}
	out := make([]model.Phone, 0, len(ps))
	for _, p := range ps {
		out = append(out, mapPhone(p))
	}
	return out, nil
}

func mapLabel(l kyc.Label) model.Label {
	return model.Label{Key: l.Key, Value: l.Value, Scope: model.LabelScope(l.Scope), Description: l.Description,
		UpdatedAt: l.UpdatedAt}
}

func mapRecord(r kyc.DataRecord) model.DataRecord {
	return model.DataRecord{Title: r.Title, Data: jsonMap(r.Data), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func recordsOrErr(rs []kyc.DataRecord, err error) ([]model.DataRecord, error) {
	if err != nil {
		return nil, err
	}
	out := make([]model.DataRecord, 0, len(rs))
	for _, r := range rs {
		out = append(out, mapRecord(r))
	}
	return out, nil
}

func mapLevels(levels []kyc.Level) []model.Level {
	out := make([]model.Level, 0, len(levels))
	for _, l := range levels {
		m := model.Level{Level: l.Level, Rules: make([]model.LevelRule, 0, len(l.Rules))}
		for _, r := range l.Rules {
			m.Rules = append(m.Rules, model.LevelRule{Key: r.Key, Value: r.Value, Description: r.Description})
		}
		out = append(out, m)
	}
	return out
}

// mapSubmission maps a submission; its user and profile have resolvers
// (they only need the user's id, kept in User.ID).
func mapSubmission(v kyc.SubmissionView) *model.KycSubmission {
	s := v.Submission
	return &model.KycSubmission{ID: s.ID.String(), User: &model.User{ID: s.UserID.String()},
		Status: model.KycStatus(s.Status), Country: s.Country, SubmittedAt: s.SubmittedAt, DecidedAt: s.DecidedAt,
		Reason: s.Reason, Document: mapDocument(v.Document), Selfie: mapSelfie(v.Selfie)}
}

func submissionOrErr(v kyc.SubmissionView, err error) (*model.KycSubmission, error) {
	if err != nil {
		return nil, err
	}
	return mapSubmission(v), nil
}

// submitters is the ids of the users whose submissions the page holds.
func submitters(p kyc.SubmissionPage) []uuid.UUID {
	ids := make([]uuid.UUID, len(p.Items))
	for i, v := range p.Items {
		ids[i] = v.Submission.UserID
	}
	return ids
}

func mapSubmissionPage(p kyc.SubmissionPage) *model.KycSubmissionConnection {
	out := &model.KycSubmissionConnection{Edges: make([]model.KycSubmissionEdge, 0, len(p.Items)),
		PageInfo: pageInfo(p.HasNext, p.Cursors)}
	for i, v := range p.Items {
		out.Edges = append(out.Edges, model.KycSubmissionEdge{Cursor: p.Cursors[i], Node: mapSubmission(v)})
	}
	return out
}

// userOf parses the id of a parent User (set by mapUser from a uuid).
func userOf(obj *model.User) (uuid.UUID, error) {
	return parseID("id", obj.ID)
}

// staffUser maps the user a KYC record belongs to, for staff.
func (r *Resolver) staffUser(ctx context.Context, id uuid.UUID) (*model.User, error) {
	u, err := r.Identity.Reads.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, ports.Errorf(ports.CodeNotFound, "the user is gone")
	}
	return mapUser(*u), nil
}
