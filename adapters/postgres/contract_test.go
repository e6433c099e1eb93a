package postgres_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/captcha/captchatest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

func TestStoreContracts(t *testing.T) {
	identitytest.Run(t, func(t *testing.T) identitytest.Stores {
		db := pgtest.DB(t)
		users, creds := postgres.NewUserStore(db), postgres.NewCredentialStore(db)
		return identitytest.Stores{Users: users, UserChanges: users, Devices: users, UserExtras: users,
			PINs: creds, Passwords: creds, TOTPs: creds, Erasure: creds, CredentialReads: creds,
			Sessions: postgres.NewSessionStore(db), SessionReads: postgres.NewSessionStore(db),
			Activities: postgres.NewActivityLog(db), Tx: postgres.NewTxRunner(db)}
	})
}

func TestTicketsContract(t *testing.T) {
	identitytest.RunTickets(t, func(t *testing.T) identity.Tickets { return postgres.NewTicketStore(pgtest.DB(t)) })
}

// kycStores is s as every one of kyc's stores, as the wiring binds it.
func kycStores(s *postgres.KYCStore) kyc.Stores {
	return kyc.Stores{Profiles: s, Documents: s, Submissions: s, Labels: s, Phones: s}
}

func TestActivityLogContract(t *testing.T) {
	portstest.RunActivityLog(t, func(t *testing.T) portstest.ActivityStores {
		db := pgtest.DB(t)
		return portstest.ActivityStores{NewUser: func(t *testing.T, phone string) uuid.UUID {
			return identitytest.NewUser(t, postgres.NewUserStore(db), phone).ID
		}, Activities: postgres.NewActivityLog(db)}
	})
}

func TestRateLimiterContract(t *testing.T) {
	portstest.RunRateLimiter(t, func(t *testing.T, clock ports.Clock) ports.RateLimiter {
		return postgres.NewRateLimiter(pgtest.DB(t), clock)
	})
}

func TestTxRunnerContract(t *testing.T) {
	portstest.RunTxRunner(t, func(t *testing.T) ports.TxRunner { return postgres.NewTxRunner(pgtest.DB(t)) })
}

func TestKYCStoreContract(t *testing.T) {
	kyctest.RunStore(t, func(t *testing.T) kyctest.Stores {
		db := pgtest.DB(t)
		return kyctest.Stores{Users: postgres.NewUserStore(db), KYC: kycStores(postgres.NewKYCStore(db))}
	})
}

func TestKYCUserReadsContract(t *testing.T) {
	kyctest.RunUserReads(t, func(t *testing.T) kyctest.Stores {
		db := pgtest.DB(t)
		s := postgres.NewKYCStore(db)
		return kyctest.Stores{Users: postgres.NewUserStore(db), KYC: kycStores(s), Reads: s}
	})
}

func TestAccountStoreContract(t *testing.T) {
	accountstest.RunStore(t, func(t *testing.T) accountstest.Stores {
		db := pgtest.DB(t)
		return accountstest.Stores{Users: postgres.NewUserStore(db), Accounts: postgres.NewAccountStore(db)}
	})
}

func TestChallengeStoreContract(t *testing.T) {
	otptest.RunStore(t, func(t *testing.T) otptest.Stores {
		db := pgtest.DB(t)
		return otptest.Stores{Store: postgres.NewChallengeStore(db), Tx: postgres.NewTxRunner(db)}
	})
}

func TestAuditTrailContract(t *testing.T) {
	admintest.RunAudit(t, func(t *testing.T) admintest.AuditStores {
		db := pgtest.DB(t)
		trail := postgres.NewAuditTrail(db)
		return admintest.AuditStores{NewUser: func(t *testing.T, phone string) uuid.UUID {
			return identitytest.NewUser(t, postgres.NewUserStore(db), phone).ID
		}, Activities: postgres.NewActivityLog(db), Audit: trail, Search: trail}
	})
}

func TestPermissionsContract(t *testing.T) {
	admintest.RunPermissions(t, func(t *testing.T) admintest.PermissionStores {
		db := pgtest.DB(t)
		return admintest.PermissionStores{Store: postgres.NewPermissionStore(db), Watcher: postgres.NewPermissionWatcher(db),
			Tx: postgres.NewTxRunner(db)}
	})
}

func TestDirectoryContract(t *testing.T) {
	admintest.RunDirectory(t, func(t *testing.T) admintest.DirectoryStores {
		db := pgtest.DB(t)
		return admintest.DirectoryStores{Users: postgres.NewUserStore(db), Directory: postgres.NewUserDirectory(db)}
	})
}

func TestPagesContract(t *testing.T) {
	admintest.RunPages(t, func(t *testing.T) admintest.PageStores {
		db := pgtest.DB(t)
		log := postgres.NewActivityLog(db)
		return admintest.PageStores{Users: postgres.NewUserStore(db), Sessions: postgres.NewSessionStore(db),
			Activities: log, Recent: log}
	})
}

func TestRestrictionStoreContract(t *testing.T) {
	perimetertest.RunStore(t, func(t *testing.T) perimeter.Store {
		return postgres.NewRestrictionStore(pgtest.DB(t))
	})
}

func TestCaptchaFailuresContract(t *testing.T) {
	captchatest.RunFailures(t, func(t *testing.T, clock ports.Clock) captcha.Failures {
		return postgres.NewCaptchaFailures(pgtest.DB(t), clock)
	})
}
