package ports

// Authorizer answers whether a role may call an operation (a root field of
// the GraphQL schema, or a role-restricted field of a type such as
// User.sessions), by the same rule that guards every request.
type Authorizer interface {
	// Decide returns the action of the rules of role for operation:
	// PermissionAllow, PermissionAudit, PermissionDeny, or "" when no rule
	// matches. It reads memory only, never the database.
	Decide(role, operation string) string
	// Allowed reports whether a caller with role (RoleAnonymous when not
	// signed in) may call operation: the ANONYMOUS rules open a field to
	// everyone, the role's own rules to the role.
	Allowed(role, operation string) bool
	// Known reports whether operation names a root field or a
	// role-restricted field of a type (Type.field).
	Known(operation string) bool
}
