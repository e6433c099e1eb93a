package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/levelrules"
)

func mapLevelJob(j levelrules.Job) *model.LevelJob {
	return &model.LevelJob{ID: j.ID.String(), State: model.LevelJobState(j.State), Action: j.Action,
		MinLevel: j.MinLevel, Done: j.Done, Total: j.Total, Changed: j.Changed, CreatedAt: j.CreatedAt,
		UpdatedAt: j.UpdatedAt, FinishedAt: j.FinishedAt}
}
