// Package contact holds the rules every module speaks about a person's
// contact details: what a phone number, an email address and a country code
// look like once accepted. It is not a module: it has no service, no store
// and no fx wiring, and it imports no module, so identity, kyc, accounts and
// the configuration all accept the same +44 7911 123456 as the same
// +447911123456.
//
// Each rule reports a refusal as VALIDATION_FAILED on the field it is given,
// so a caller can merge it with its other field errors (ports.MergeInvalid).
package contact
