package ports

// Permission actions: the answers of Authorizer.Decide and the actions a
// permission row (admin.Permission) may carry.
const (
	PermissionAllow = "ALLOW"
	PermissionDeny  = "DENY"
	PermissionAudit = "AUDIT"
)
