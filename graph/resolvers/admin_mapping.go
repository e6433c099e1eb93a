package resolvers

import (
	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// userFilterInput carries the client's user filter to the admin service,
// which validates every field.
func userFilterInput(f *model.UserFilter) admin.UserFilterInput {
	if f == nil {
		return admin.UserFilterInput{}
	}
	in := admin.UserFilterInput{ID: f.ID, Email: f.Email, Phone: f.Phone, Name: f.Name, LevelMin: f.LevelMin,
		LevelMax: f.LevelMax, Country: f.Country, CreatedFrom: f.CreatedFrom, CreatedTo: f.CreatedTo,
		DocumentsPending: f.DocumentsPending}
	if f.Role != nil {
		in.Role = optional(string(*f.Role))
	}
	if f.State != nil {
		in.State = optional(string(*f.State))
	}
	if f.KycStatus != nil {
		in.KYCStatus = optional(string(*f.KycStatus))
	}
	if f.Label != nil {
		in.Label = &admin.LabelMatchInput{Key: f.Label.Key, Value: f.Label.Value}
	}
	return in
}

func userOrder(o *model.UserOrder) admin.UserOrder {
	if o == nil {
		return admin.UserOrder{}
	}
	return admin.UserOrder{Field: string(o.Field), Desc: o.Direction != model.OrderDirectionAsc}
}

func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// pageUsers is the ids of the page's users.
func pageUsers(p admin.UserPage) []uuid.UUID {
	ids := make([]uuid.UUID, len(p.Hits))
	for i, h := range p.Hits {
		ids[i] = h.User.ID
	}
	return ids
}

func mapUserPage(p admin.UserPage) *model.UserConnection {
	out := &model.UserConnection{Edges: make([]model.UserEdge, 0, len(p.Hits)),
		PageInfo:   &model.PageInfo{HasNextPage: p.HasNext, EndCursor: optional(p.EndCursor)},
		TotalCount: p.Total, TotalCountExact: p.TotalExact}
	for _, h := range p.Hits {
		out.Edges = append(out.Edges, model.UserEdge{Cursor: h.Cursor, Node: mapUser(h.User)})
	}
	return out
}

func mapLabelUsage(us []admin.LabelUsage) []model.LabelUsage {
	out := make([]model.LabelUsage, 0, len(us))
	for _, u := range us {
		out = append(out, model.LabelUsage{Key: u.Key, Value: u.Value, Scope: model.LabelScope(u.Scope), Users: u.Users})
	}
	return out
}

// parseOptionalID parses an optional id argument.
func parseOptionalID(field string, s *string) (*uuid.UUID, error) {
	if s == nil {
		return nil, nil
	}
	id, err := parseID(field, *s)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

func activityFilterInput(f *model.ActivityFilter) (admin.ActivityFilterInput, error) {
	if f == nil {
		return admin.ActivityFilterInput{}, nil
	}
	id, err := parseOptionalID("filter.userId", f.UserID)
	if err != nil {
		return admin.ActivityFilterInput{}, err
	}
	in := admin.ActivityFilterInput{UserID: id, Email: f.Email, Action: deref(f.Action), From: f.From, To: f.To}
	if f.Topic != nil {
		in.Topic = string(*f.Topic)
	}
	if f.Result != nil {
		in.Result = string(*f.Result)
	}
	return in, nil
}

func mapActivity(a ports.Activity) model.Activity {
	m := model.Activity{ID: a.ID.String(), Topic: a.Topic, Action: a.Action, Result: model.ActivityResult(a.Result),
		Reason: optional(a.Details["reason"]), IP: a.IP, UserAgent: a.UserAgent, CreatedAt: a.CreatedAt}
	if a.UserID != nil {
		m.UserID = optional(a.UserID.String())
	}
	return m
}

func mapStaffActivityPage(p admin.ActivityPage) *model.ActivityConnection {
	out := &model.ActivityConnection{Edges: make([]model.ActivityEdge, 0, len(p.Items)),
		PageInfo: pageInfo(p.HasNext, p.Cursors)}
	for i, a := range p.Items {
		node := mapActivity(a)
		out.Edges = append(out.Edges, model.ActivityEdge{Cursor: p.Cursors[i], Node: &node})
	}
	return out
}

func adminActivityFilterInput(f *model.AdminActivityFilter) (admin.AdminActivityFilterInput, error) {
	if f == nil {
		return admin.AdminActivityFilterInput{}, nil
	}
	adminID, err := parseOptionalID("filter.adminId", f.AdminID)
	if err != nil {
		return admin.AdminActivityFilterInput{}, err
	}
	target, err := parseOptionalID("filter.targetUserId", f.TargetUserID)
	if err != nil {
		return admin.AdminActivityFilterInput{}, err
	}
	return admin.AdminActivityFilterInput{AdminID: adminID, TargetUserID: target, Action: deref(f.Action),
		From: f.From, To: f.To}, nil
}

// mapAdminActivity maps one row; admin and targetUser carry only the id,
// which their field resolvers read the user by.
// mapAdminActivity maps a row and the users it names (from users; one
// missing is null).
func mapAdminActivity(a ports.AdminActivity, users map[uuid.UUID]identity.User) *model.AdminActivity {
	m := &model.AdminActivity{ID: a.ID.String(), Action: a.Action,
		Reason: a.Reason, Input: a.Input, Result: model.ActivityResult(a.Result), Error: optional(string(a.Error)),
		IP: a.IP, UserAgent: a.UserAgent, CreatedAt: a.CreatedAt}
	if m.Input == nil {
		m.Input = map[string]any{}
	}
	if u, ok := users[a.AdminID]; ok {
		m.Admin = mapUser(u)
	}
	if a.TargetUserID != nil {
		if u, ok := users[*a.TargetUserID]; ok {
			m.TargetUser = mapUser(u)
		}
	}
	return m
}

func mapAdminActivityPage(p admin.AdminActivityPage) *model.AdminActivityConnection {
	out := &model.AdminActivityConnection{Edges: make([]model.AdminActivityEdge, 0, len(p.Items)),
		PageInfo: pageInfo(p.HasNext, p.Cursors)}
	for i, a := range p.Items {
		out.Edges = append(out.Edges, model.AdminActivityEdge{Cursor: p.Cursors[i], Node: mapAdminActivity(a, p.Users)})
	}
	return out
}

func mapStaffSession(v admin.SessionView) model.Session {
	d := mapDevice(v.Device)
	return model.Session{ID: v.Session.ID.String(), Device: &d, CreatedAt: v.Session.CreatedAt,
		LastUsedAt: v.Session.LastUsedAt, ExpiresAt: v.Session.ExpiresAt, Mfa: v.Session.MFA}
}
