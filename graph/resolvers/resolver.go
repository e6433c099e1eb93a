// Package resolvers maps GraphQL operations onto module services. Each
// resolver parses its input, calls one service method and maps the result:
// rules live in the modules.
package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/platform"
)

// expectUsers tells the loaders of the users' per-user fields which users
// a list holds, so that each field asked of them is read for all of them
// at once.
func (r *Resolver) expectUsers(ctx context.Context, ids []uuid.UUID) {
	if r.KYC.Loaders != nil {
		r.KYC.Loaders.ExpectUsers(ctx, ids)
	}
	if r.Accounts != nil {
		r.Accounts.ExpectUsers(ctx, ids)
	}
	if r.Admin.Directory != nil {
		r.Admin.Directory.ExpectUsers(ctx, ids)
	}
	if r.Identity.Reads != nil {
		r.Identity.Reads.ExpectDevices(ctx, ids)
		r.Identity.Reads.ExpectUsers(ctx, ids)
	}
	if r.Federation.Links != nil {
		r.Federation.Links.ExpectUsers(ctx, ids)
	}
}

// expectUsersOf tells the loaders which users the rows of a list name
// (submitters, the users of PIN resets): their rows, and then each
// per-user field asked of them, are read for all of them at once.
func (r *Resolver) expectUsersOf(ctx context.Context, ids []uuid.UUID) {
	if r.Identity.Reads != nil {
		r.Identity.Reads.ExpectUsers(ctx, ids)
	}
	r.expectUsers(ctx, ids)
}

// Resolver is the root resolver; fx builds it from the module services.
type Resolver struct {
	Identity identity.Services
	OTP      *otp.Service
	Platform *platform.Service
	// Operator is staff's side of the platform module.
	Operator *platform.Operator
	// LevelRules changes the level rules and reports their jobs.
	LevelRules *levelrules.Service
	KYC        kyc.Services
	PINReset   pinreset.Services
	Accounts   *accounts.Service
	Admin      admin.Services
	APIKeys    apikeys.Services
	// Consent is the apps a person consented to (OAuth2 through Hydra).
	Consent  *consent.Apps
	Partners *partners.Manage
	// Perimeter manages the restrictions and whitelinks.
	Perimeter *perimeter.Service
	// Federation signs in with OpenID providers and links their accounts.
	Federation federation.Services
	// Delivery is the status of queued messages and staff's dead letters.
	Deliveries *delivery.Service
}
