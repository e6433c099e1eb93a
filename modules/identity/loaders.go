package identity

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/batchload"
	"github.com/gatehouse/gatehouse/ports"
)

// maxLoaderBatch bounds the users of one batched read.
const maxLoaderBatch = 500

// ReadService is what a caller reads of users by id: a user (the user query,
// the user behind a KYC submission or a PIN reset) and a user's devices.
// Inside a query each read goes through per-request loaders, so that a
// list reads the users behind its rows, or the devices of its users, in
// one statement however long the page; the lists announce their keys
// (ExpectUsers, ExpectDevices).
type ReadService struct {
	users   Users
	devices Devices
	callers ports.CallerSource
	// rules decide which roles read any user and anyone's devices (the
	// permission rows); nil lets no role read another's.
	rules Rules
}

// NewReadService returns the reads of users by id; callers says who asks
// (the ViewerService).
func NewReadService(users Users, devices Devices, callers ports.CallerSource, rules Rules) *ReadService {
	return &ReadService{users: users, devices: devices, callers: callers, rules: rules}
}

type readLoaders struct {
	users   *batchload.Loader[uuid.UUID, *User]
	devices *batchload.Loader[uuid.UUID, []Device]
}

// WithLoaders returns ctx with fresh loaders of users and devices; call it
// once per query operation (their cache lives as long as ctx). A query
// changes no user or device, so nothing they cache goes stale; mutations
// read directly.
func (r *ReadService) WithLoaders(ctx context.Context) context.Context {
	return batchload.With(ctx, r.newLoaders)
}

// newLoaders builds one request's loaders, when it first reads through
// them.
func (r *ReadService) newLoaders() *readLoaders {
	l := &readLoaders{
		devices: batchload.New(maxLoaderBatch, batchload.Many(r.devices.DevicesByUsers,
			func(d Device) uuid.UUID { return d.UserID })),
	}
	fetch := batchload.One(r.users.GetByIDs, func(u User) uuid.UUID { return u.ID })
	l.users = batchload.New(maxLoaderBatch, func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*User, error) {
		users, err := fetch(ctx, ids)
		// The referrers of a page of users are read together, if asked.
		for _, u := range users {
			if u != nil && u.ReferredBy != nil {
				l.users.Expect(*u.ReferredBy)
			}
		}
		return users, err
	})
	return l
}

func readLoadersFrom(ctx context.Context) *readLoaders { return batchload.From[readLoaders](ctx) }

// allowed reports whether the caller's role may do operation by the rows;
// false for an anonymous caller or one that cannot be told.
func (r *ReadService) allowed(ctx context.Context, operation string) bool {
	c, err := r.callers.Caller(ctx)
	return err == nil && c != nil && r.rules != nil && r.rules.Allowed(c.Role, operation)
}

// ExpectUsers tells the request's loaders which users a list refers to
// (the submitters of a page of submissions, the users of a page of PIN
// resets), so that the first read of one reads them all. Only for roles
// the rows let read any user: no one's row is fetched on another
// caller's behalf.
func (r *ReadService) ExpectUsers(ctx context.Context, userIDs []uuid.UUID) {
	if l := readLoadersFrom(ctx); l != nil && len(userIDs) > 0 && r.allowed(ctx, "user") {
		l.users.Expect(userIDs...)
	}
}

// ExpectDevices tells the request's loaders which users a list holds, so
// that the first read of their devices reads them for all of them. Only
// for roles the User.devices rows allow: a member reads their own
// devices alone.
func (r *ReadService) ExpectDevices(ctx context.Context, userIDs []uuid.UUID) {
	if l := readLoadersFrom(ctx); l != nil && len(userIDs) > 0 && r.allowed(ctx, "User.devices") {
		l.devices.Expect(userIDs...)
	}
}

// UserByID returns a user to the roles the user rows let read any user
// (staff by default), for the user query and the user of a review; nil
// when there is none. Errors: UNAUTHENTICATED, FORBIDDEN.
func (r *ReadService) UserByID(ctx context.Context, id uuid.UUID) (*User, error) {
	c, err := r.caller(ctx)
	if err != nil {
		return nil, err
	}
	if r.rules == nil || !r.rules.Allowed(c.Role, "user") {
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not read other users")
	}
	if l := readLoadersFrom(ctx); l != nil {
		u, err := l.users.Load(ctx, id)
		if err != nil || u == nil {
			return nil, err
		}
		cp := *u
		return &cp, nil
	}
	u, err := r.users.GetByID(ctx, id)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Devices lists a user's devices to the user and to the roles the
// User.devices rows allow (SUPPORT, COMPLIANCE, ADMIN, SUPERADMIN by
// default), last seen first. Staff never see a push token: it would let
// them message the device. Errors: UNAUTHENTICATED, FORBIDDEN.
func (r *ReadService) Devices(ctx context.Context, userID uuid.UUID) ([]Device, error) {
	c, err := r.caller(ctx)
	if err != nil {
		return nil, err
	}
	own := c.UserID == userID
	if !own && (r.rules == nil || !r.rules.Allowed(c.Role, "User.devices")) {
		return nil, ports.Errorf(ports.CodeForbidden, "you may only see your own devices")
	}
	var devices []Device
	if l := readLoadersFrom(ctx); l != nil {
		devices, err = l.devices.Load(ctx, userID)
		// The loader's slice is shared by every read of the request:
		// scrub a copy.
		devices = slices.Clone(devices)
	} else {
		devices, err = r.devices.ListDevices(ctx, userID)
	}
	if err != nil || own {
		return devices, err
	}
	for i, d := range devices {
		if d.Push != nil {
			p := *d.Push
			p.Token = ""
			devices[i].Push = &p
		}
	}
	return devices, nil
}

// caller is the signed-in caller. Errors: UNAUTHENTICATED (and what the
// CallerSource returns: an ended session, a locked user).
func (r *ReadService) caller(ctx context.Context) (*ports.Caller, error) {
	c, err := r.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}
