package graph

// FieldOperations are the fields of types whose reading the permission
// rows decide by role, named Type.field like the operations of rows: a
// role's ALLOW row lets it read the field of any user (a user reads their
// own by the owner rules of the services), a DENY row stops it. The
// default rows (migration 20261206000020) reproduce the schema's
// documented roles; SUPERADMIN's "*" row opens them all. An AUDIT row
// acts as ALLOW here: the call is audited by its root field's row.
func FieldOperations() []string {
	return []string{
		"KycFile.url",         // a short-lived link to a KYC file (never on one's own)
		"User.accounts",       // another user's accounts and portfolios
		"User.dataRecords",    // another user's extra KYC data
		"User.devices",        // another user's devices (never their push tokens)
		"User.documents",      // another user's documents, and a document by id
		"User.firebaseUid",    // another user's external phone verification id
		"User.identities",     // another user's linked provider accounts
		"User.kycStatus",      // another user's review status and rejection reason
		"User.labels",         // every label, PRIVATE ones included, of anyone
		"User.phones",         // another user's added phones
		"User.profile",        // another user's profile
		"User.recentActivity", // a user's latest activities
		"User.referredByCode", // the referral code another user signed up with
		"User.referrer",       // the user who referred a user (never to themself by default)
		"User.selfie",         // another user's selfie, and a KYC file by id
		"User.sessions",       // a user's live sessions
	}
}

// rowsOnlyFields are the field operations that no owner rule opens: the
// permission rows alone decide them, on the reader's own user too, and a
// reader they do not open gets FORBIDDEN (a user reads their own sessions
// with mySessions, their own activity with myActivity). KycFile.url is
// rows-only too but answers null, not an error, on one's own file. The
// sign-in payload guard asks the rows about these (payloadGuard).
var rowsOnlyFields = []string{"User.recentActivity", "User.sessions"}

// Operations are every name a permission row may give: the root fields
// and the role-restricted fields of types.
func Operations() []string { return append(RootFieldNames(), FieldOperations()...) }
