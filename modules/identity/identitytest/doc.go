// Package identitytest holds the in-memory fakes of identity's stores
// (UserStore, CredentialStore, SessionStore, TicketStore) and their
// contract suites (with the ActivityLog suite, whose rows refer to users),
// which run against the fakes and against the PostgreSQL adapters, so a
// fake cannot drift from the truth.
//
// Stores that the database ties together by foreign keys are tied here by
// construction: NewUserStore(creds) derives HasPIN, HasPassword and
// TOTPEnabled from creds and deletes a removed user's credentials, and
// UserStore.WithSessions(sessions) makes deleted devices take their
// sessions with them. The fakes mirror the PostgreSQL adapters; they are
// safe for concurrent use but cannot roll back (see ports/portsfake).
package identitytest
