// Package levelrules lets staff change the level rules (which PRIVATE
// labels each verification level needs) and recomputes the levels of the
// users a change may move, in the background: a job row keeps its
// progress, each batch of users commits their levels and the progress
// together, and a restart resumes after the last committed batch. The
// rules themselves, and how a level is computed from them, are the kyc
// module's (kyc.LevelRule, kyc.ComputeLevel).
package levelrules

import (
	"time"

	"github.com/google/uuid"
)

// JobState is where a recompute job stands.
type JobState string

// Job states.
const (
	JobRunning JobState = "RUNNING"
	JobDone    JobState = "DONE"
)

// Job recomputes the levels of the users at MinLevel or above, by id.
type Job struct {
	ID    uuid.UUID
	State JobState
	// MinLevel: users below it cannot move (see affectedFrom).
	MinLevel int
	// AfterID is the last user done (nil: none yet), the keyset of the
	// next batch.
	AfterID *uuid.UUID
	// Done counts the users recomputed, Changed those whose level moved.
	Done, Changed int
	// Total is how many users were at MinLevel or above when the job was
	// made; users reaching those levels meanwhile are done too, so Done
	// may pass it, and a finished job reports Total = Done.
	Total int
	// Action names the change: "addLevelRule 3 document" or
	// "removeLevelRule 3 document".
	Action     string
	CreatedBy  uuid.UUID
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// UserLevel is a user's stored level.
type UserLevel struct {
	ID    uuid.UUID
	Level int
}

// affectedFrom is the lowest stored level a change of the rules of level
// can move. A user at level c got there because level c+1 failed, or
// because c is the top level with rules. Changing level's rules moves
// only the users whose c+1 is level (c = level-1) or above, and those
// held by the top (oldTop before, newTop after): below all three, the
// levels they fail and the cap are unchanged.
func affectedFrom(level, oldTop, newTop int) int {
	return max(0, min(level-1, oldTop, newTop))
}
