package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/perimeter"
)

func restrictionOut(r perimeter.Restriction) model.Restriction {
	return model.Restriction{ID: r.ID.String(), Scope: model.RestrictionScope(r.Scope), Value: r.Value,
		Category: model.RestrictionCategory(r.Category), State: model.RestrictionState(r.State), Code: r.Code,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func restrictionPage(p perimeter.Page) *model.RestrictionConnection {
	out := &model.RestrictionConnection{Edges: make([]model.RestrictionEdge, len(p.Items)),
		PageInfo: &model.PageInfo{HasNextPage: p.HasNext}}
	for i, r := range p.Items {
		out.Edges[i] = model.RestrictionEdge{Cursor: perimeter.Cursor(r), Node: new(restrictionOut(r))}
	}
	if n := len(p.Items); n > 0 {
		c := out.Edges[n-1].Cursor
		out.PageInfo.EndCursor = &c
	}
	return out
}

func restrictionInput(in model.CreateRestrictionInput) perimeter.Input {
	out := perimeter.Input{Scope: perimeter.Scope(in.Scope), Value: in.Value,
		Category: perimeter.Category(in.Category), Code: in.Code, Reason: deref(in.Reason)}
	if in.State != nil {
		out.State = perimeter.State(*in.State)
	}
	return out
}

func restrictionChange(in model.UpdateRestrictionInput) (perimeter.Change, error) {
	id, err := parseID("id", in.ID)
	if err != nil {
		return perimeter.Change{}, err
	}
	ch := perimeter.Change{ID: id, Value: in.Value, Code: in.Code, Reason: deref(in.Reason)}
	if in.Scope != nil {
		ch.Scope = new(perimeter.Scope(*in.Scope))
	}
	if in.Category != nil {
		ch.Category = new(perimeter.Category(*in.Category))
	}
	if in.State != nil {
		ch.State = new(perimeter.State(*in.State))
	}
	return ch, nil
}

func restrictionFilter(f *model.RestrictionFilter) perimeter.Filter {
	var out perimeter.Filter
	if f == nil {
		return out
	}
	if f.Scope != nil {
		out.Scope = new(perimeter.Scope(*f.Scope))
	}
	if f.Category != nil {
		out.Category = new(perimeter.Category(*f.Category))
	}
	if f.State != nil {
		out.State = new(perimeter.State(*f.State))
	}
	return out
}
