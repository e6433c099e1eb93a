package ports_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// A partner app acting on a user is no user: its own row is kept under no
// user and names the client; the user's row says only its role.
func TestStaffActivitiesOfAPartnerApp(t *testing.T) {
	subject, client := uuid.New(), uuid.NewString()
	partner := &ports.Caller{Role: ports.RolePartner,
		Program: &ports.Program{Kind: ports.ProgramPartner, ID: client, Scopes: []string{"accounts:write"}}}
	mine, theirs := ports.StaffActivities(context.Background(), partner, subject, "ACCOUNT", "account.open", nil, nil, time.Now())
	if mine.UserID != nil || mine.Details["client"] != client || mine.Details["userId"] != subject.String() {
		t.Fatalf("the partner's row: %+v", mine)
	}
	if theirs.UserID == nil || *theirs.UserID != subject || theirs.Details["by"] != ports.RolePartner || theirs.Details["client"] != "" {
		t.Fatalf("the user's row: %+v", theirs)
	}

	staff := &ports.Caller{UserID: uuid.New(), Role: ports.RoleAdmin}
	mine, _ = ports.StaffActivities(context.Background(), staff, subject, "ACCOUNT", "account.open", nil, nil, time.Now())
	if mine.UserID == nil || *mine.UserID != staff.UserID {
		t.Fatalf("a staff member's row: %+v", mine)
	}
}
