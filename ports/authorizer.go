package ports

// Authorizer answers whether a role may call an operation (a root field
// of the GraphQL schema), by the same rule that guards every request.
type Authorizer interface {
	Allowed(role, operation string) bool
	// Known reports whether operation names a root field.
	Known(operation string) bool
}
