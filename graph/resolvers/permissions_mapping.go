package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/admin"
)

func permissionOut(p admin.Permission) model.Permission {
	return model.Permission{ID: p.ID.String(), Role: model.Role(p.Role), Operation: p.Operation,
		Action: model.PermissionAction(p.Action), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func permissionsOut(ps []admin.Permission) []model.Permission {
	out := make([]model.Permission, len(ps))
	for i, p := range ps {
		out[i] = permissionOut(p)
	}
	return out
}

func permissionInput(in model.CreatePermissionInput) admin.PermissionInput {
	return admin.PermissionInput{Role: string(in.Role), Operation: in.Operation, Action: string(in.Action),
		Reason: in.Reason}
}

func permissionChange(in model.UpdatePermissionInput) (admin.PermissionChange, error) {
	id, err := parseID("id", in.ID)
	if err != nil {
		return admin.PermissionChange{}, err
	}
	ch := admin.PermissionChange{ID: id, Operation: in.Operation, Reason: in.Reason}
	if in.Role != nil {
		r := string(*in.Role)
		ch.Role = &r
	}
	if in.Action != nil {
		a := string(*in.Action)
		ch.Action = &a
	}
	return ch, nil
}
