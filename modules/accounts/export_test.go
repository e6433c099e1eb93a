package accounts

// What the external tests (package accounts_test, which may import
// accountstest) reach inside the package.

// ConfigOf is the configuration s runs with.
func ConfigOf(s *Service) Config { return s.cfg }

// RecordStaff is (*Service).recordStaff.
var RecordStaff = (*Service).recordStaff
