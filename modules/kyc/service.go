package kyc

// Service is the KYC module's service.
type Service struct{}
