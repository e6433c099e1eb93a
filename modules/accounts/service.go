// Package accounts opens users' accounts and their portfolios.
package accounts

// Service is the accounts module's service.
type Service struct{}
