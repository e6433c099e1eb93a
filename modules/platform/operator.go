package platform

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// Operator is how staff change the client configuration: maintenance, app
// versions, feature flags, client rules, app contents and push channels.
// Who may call each method is the permission rows' decision (ADMIN and
// SUPERADMIN by default); every change commits its admin activity, with
// the staff member's reason and the values it replaced, in its own
// transaction, and reaches every instance's cache through the change
// channel (see Service.Start).
type Operator struct {
	svc     *Service
	store   Store
	changes Changes
	terms   Terms
	tx      ports.TxRunner
	audit   ports.AuditTrail
	log     ports.ActivityLog
	callers ports.CallerSource
	clock   ports.Clock
}

// NewOperator returns the staff's side of the platform module (and the
// users' acceptance of terms, which it records in the security log).
func NewOperator(svc *Service, store Store, changes Changes, terms Terms, tx ports.TxRunner, audit ports.AuditTrail,
	log ports.ActivityLog, callers ports.CallerSource, clock ports.Clock) *Operator {
	return &Operator{svc: svc, store: store, changes: changes, terms: terms, tx: tx, audit: audit, log: log,
		callers: callers, clock: clock}
}

// ReasonFlagLimit: MaxFeatureFlags flags exist and the key is a new one.
const ReasonFlagLimit = "FEATURE_FLAG_LIMIT_REACHED"

// Bounds of the operator's inputs.
const (
	MaxMaintenanceMessage = 500
	MaxFlagDescription    = 200
	MaxStoreURL           = 500
	MaxStoreAppID         = 200
	MaxPushChannels       = 50
	MaxPushChannel        = 100
	MinIdleTimeSeconds    = 30
	MaxIdleTimeSeconds    = 86400
	MinOTPLifetimeSeconds = 30
	// MaxFeatureFlags bounds how many flags may exist (every client reads
	// them all at start).
	MaxFeatureFlags = 200
)

var (
	flagKey    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	storeAppID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// Firebase topic names: letters, digits and -_.~%.
	pushChannel = regexp.MustCompile(`^[A-Za-z0-9_.~%-]+$`)
	appVersion  = regexp.MustCompile(`^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$`)
)

// Staff reads of the configuration as it is stored (not the cache).

// OperatorSettings is every setting staff change, as stored now.
type OperatorSettings struct {
	Settings Settings
	Versions []AppVersion
	Flags    []FeatureFlag // every flag, on or off
}

// Settings returns the stored configuration. Errors: UNAUTHENTICATED.
func (o *Operator) Settings(ctx context.Context) (OperatorSettings, error) {
	if _, err := o.caller(ctx); err != nil {
		return OperatorSettings{}, err
	}
	st, err := o.store.Settings(ctx)
	if err != nil {
		return OperatorSettings{}, err
	}
	vs, err := o.store.AppVersions(ctx)
	if err != nil {
		return OperatorSettings{}, err
	}
	fs, err := o.store.FeatureFlags(ctx)
	if err != nil {
		return OperatorSettings{}, err
	}
	return OperatorSettings{Settings: st, Versions: vs, Flags: fs}, nil
}

// MaintenanceInput switches maintenance.
type MaintenanceInput struct {
	Enabled bool
	Message string
	Reason  string
}

// SetMaintenance switches maintenance on or off, for every platform (the
// model has one switch). GATEHOUSE_MAINTENANCE still forces it on.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (message, reason).
func (o *Operator) SetMaintenance(ctx context.Context, in MaintenanceInput) (Settings, error) {
	msg, merr := textin.Name("message", in.Message, 0, MaxMaintenanceMessage)
	reason, rerr := textin.Reason("reason", in.Reason)
	if err := ports.MergeInvalid(merr, rerr); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := o.change(ctx, "setMaintenance", reason, map[string]any{"enabled": in.Enabled, "message": msg},
		func(ctx context.Context, now time.Time, input map[string]any) error {
			before, err := o.store.Settings(ctx)
			if err != nil {
				return err
			}
			input["before"] = map[string]any{"enabled": before.Maintenance, "message": before.MaintenanceMessage}
			if err := o.store.SetMaintenance(ctx, in.Enabled, msg, now); err != nil {
				return err
			}
			out, err = o.store.Settings(ctx)
			return err
		})
	return out, err
}

// AppVersionInput is the version policy of one platform.
type AppVersionInput struct {
	Platform       string
	MinimumVersion string
	CurrentVersion string
	StoreURL       string
	StoreAppID     string
	Reason         string
}

// SetAppVersion replaces the versions of one platform. Versions are
// MAJOR.MINOR.PATCH (numbers, as clients compare them), minimum ≤
// current. Errors: UNAUTHENTICATED, VALIDATION_FAILED (platform,
// minimumVersion, currentVersion, storeUrl, storeAppId, reason).
func (o *Operator) SetAppVersion(ctx context.Context, in AppVersionInput) (AppVersion, error) {
	var errs []error
	if !slices.Contains(Platforms, in.Platform) {
		errs = append(errs, ports.InvalidField("platform", "is not a known platform"))
	}
	minOK, curOK := checkVersion("minimumVersion", in.MinimumVersion), checkVersion("currentVersion", in.CurrentVersion)
	errs = append(errs, minOK, curOK)
	if minOK == nil && curOK == nil && compareVersions(in.MinimumVersion, in.CurrentVersion) > 0 {
		errs = append(errs, ports.InvalidField("minimumVersion", "must not be above currentVersion"))
	}
	errs = append(errs, checkURL("storeUrl", in.StoreURL, MaxStoreURL))
	if in.StoreAppID != "" {
		if len(in.StoreAppID) > MaxStoreAppID || !storeAppID.MatchString(in.StoreAppID) {
			errs = append(errs, ports.InvalidField("storeAppId",
				fmt.Sprintf("must be at most %d letters, digits, dots, dashes and underscores", MaxStoreAppID)))
		}
	}
	reason, err := textin.Reason("reason", in.Reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return AppVersion{}, err
	}
	v := AppVersion{Platform: in.Platform, MinimumVersion: in.MinimumVersion, CurrentVersion: in.CurrentVersion,
		StoreURL: in.StoreURL, StoreAppID: in.StoreAppID}
	input := map[string]any{"platform": v.Platform, "minimumVersion": v.MinimumVersion,
		"currentVersion": v.CurrentVersion, "storeUrl": v.StoreURL, "storeAppId": v.StoreAppID}
	err = o.change(ctx, "setAppVersion", reason, input, func(ctx context.Context, now time.Time, input map[string]any) error {
		vs, err := o.store.AppVersions(ctx)
		if err != nil {
			return err
		}
		for _, b := range vs {
			if b.Platform == v.Platform {
				input["before"] = map[string]any{"minimumVersion": b.MinimumVersion, "currentVersion": b.CurrentVersion,
					"storeUrl": b.StoreURL, "storeAppId": b.StoreAppID}
			}
		}
		return o.changes.SaveAppVersion(ctx, v, now)
	})
	if err != nil {
		return AppVersion{}, err
	}
	return v, nil
}

// FeatureFlagInput sets one flag.
type FeatureFlagInput struct {
	Key         string
	Enabled     bool
	Description string
	Reason      string
}

// SetFeatureFlag creates or replaces a flag. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED (key, description, reason), CONFLICT (reason
// FEATURE_FLAG_LIMIT_REACHED) for a new key past MaxFeatureFlags.
func (o *Operator) SetFeatureFlag(ctx context.Context, in FeatureFlagInput) (FeatureFlag, error) {
	kerr := checkFlagKey(in.Key)
	desc, derr := textin.Name("description", in.Description, 0, MaxFlagDescription)
	reason, rerr := textin.Reason("reason", in.Reason)
	if err := ports.MergeInvalid(kerr, derr, rerr); err != nil {
		return FeatureFlag{}, err
	}
	f := FeatureFlag{Key: in.Key, Enabled: in.Enabled, Description: desc}
	err := o.change(ctx, "setFeatureFlag", reason, map[string]any{"key": f.Key, "enabled": f.Enabled,
		"description": f.Description}, func(ctx context.Context, now time.Time, input map[string]any) error {
		if err := o.changes.LockFlags(ctx); err != nil {
			return err
		}
		fs, err := o.store.FeatureFlags(ctx)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(fs, func(x FeatureFlag) bool { return x.Key == f.Key }); i >= 0 {
			input["before"] = map[string]any{"enabled": fs[i].Enabled, "description": fs[i].Description}
		} else if len(fs) >= MaxFeatureFlags {
			return ports.Refusal(ports.CodeConflict, ReasonFlagLimit,
				"at most %d feature flags may exist; remove one first", MaxFeatureFlags)
		}
		return o.changes.SaveFeatureFlag(ctx, f, now)
	})
	if err != nil {
		return FeatureFlag{}, err
	}
	return f, nil
}

// RemoveFeatureFlag deletes a flag, reporting whether there was one (the
// call is audited either way). Errors: UNAUTHENTICATED, VALIDATION_FAILED
// (key, reason).
func (o *Operator) RemoveFeatureFlag(ctx context.Context, key, reason string) (bool, error) {
	kerr := checkFlagKey(key)
	reason, rerr := textin.Reason("reason", reason)
	if err := ports.MergeInvalid(kerr, rerr); err != nil {
		return false, err
	}
	removed := false
	err := o.change(ctx, "removeFeatureFlag", reason, map[string]any{"key": key},
		func(ctx context.Context, now time.Time, input map[string]any) error {
			b, ok, err := o.flag(ctx, key)
			if err != nil || !ok {
				return err
			}
			input["before"] = map[string]any{"enabled": b.Enabled, "description": b.Description}
			removed, err = o.changes.DeleteFeatureFlag(ctx, key)
			return err
		})
	return removed, err
}

func (o *Operator) flag(ctx context.Context, key string) (FeatureFlag, bool, error) {
	fs, err := o.store.FeatureFlags(ctx)
	if err != nil {
		return FeatureFlag{}, false, err
	}
	i := slices.IndexFunc(fs, func(f FeatureFlag) bool { return f.Key == key })
	if i < 0 {
		return FeatureFlag{}, false, nil
	}
	return fs[i], true, nil
}

// ClientRulesInput is the rules clients apply locally.
type ClientRulesInput struct {
	IdleTimeSeconds int
	// OTPLifetimeSeconds is what clients are told; nil: the server's own.
	OTPLifetimeSeconds *int
	Reason             string
}

// SetClientRules sets the idle time (30 s to a day) and the OTP lifetime
// clients are told (30 s up to the lifetime the server enforces: a client
// must never count down past the moment the server refuses the code).
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (idleTimeSeconds,
// otpLifetimeSeconds, reason).
func (o *Operator) SetClientRules(ctx context.Context, in ClientRulesInput) (Settings, error) {
	var errs []error
	if in.IdleTimeSeconds < MinIdleTimeSeconds || in.IdleTimeSeconds > MaxIdleTimeSeconds {
		errs = append(errs, ports.InvalidField("idleTimeSeconds",
			fmt.Sprintf("must be from %d to %d", MinIdleTimeSeconds, MaxIdleTimeSeconds)))
	}
	if n := in.OTPLifetimeSeconds; n != nil {
		top := int(o.svc.ServerOTPLifetime() / time.Second)
		if *n < MinOTPLifetimeSeconds || *n > top {
			errs = append(errs, ports.InvalidField("otpLifetimeSeconds",
				fmt.Sprintf("must be from %d to %d (the server's own lifetime)", MinOTPLifetimeSeconds, top)))
		}
	}
	reason, err := textin.Reason("reason", in.Reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return Settings{}, err
	}
	input := map[string]any{"idleTimeSeconds": in.IdleTimeSeconds, "otpLifetimeSeconds": nil}
	if in.OTPLifetimeSeconds != nil {
		input["otpLifetimeSeconds"] = *in.OTPLifetimeSeconds
	}
	var out Settings
	err = o.change(ctx, "setClientRules", reason, input, func(ctx context.Context, now time.Time, input map[string]any) error {
		before, err := o.store.Settings(ctx)
		if err != nil {
			return err
		}
		b := map[string]any{"idleTimeSeconds": before.IdleTimeSeconds, "otpLifetimeSeconds": nil}
		if before.OTPLifetimeSeconds != nil {
			b["otpLifetimeSeconds"] = *before.OTPLifetimeSeconds
		}
		input["before"] = b
		if err := o.changes.SetClientRules(ctx, in.IdleTimeSeconds, in.OTPLifetimeSeconds, now); err != nil {
			return err
		}
		out, err = o.store.Settings(ctx)
		return err
	})
	return out, err
}

// SetAppContents replaces the clients' layout: a JSON object of at most
// 32 KiB, 16 levels deep, keys of at most 128 characters and strings of
// at most 4096. The audit keeps its size, not the layout itself.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (contents, reason).
func (o *Operator) SetAppContents(ctx context.Context, contents map[string]any, reason string) (Settings, error) {
	b, cerr := EncodeContents("contents", contents)
	reason, rerr := textin.Reason("reason", reason)
	if err := ports.MergeInvalid(cerr, rerr); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := o.change(ctx, "setAppContents", reason, map[string]any{"bytes": len(b)},
		func(ctx context.Context, now time.Time, input map[string]any) error {
			if err := o.changes.SetAppContents(ctx, b, now); err != nil {
				return err
			}
			var err error
			out, err = o.store.Settings(ctx)
			return err
		})
	return out, err
}

// SetPushChannels replaces the push (Firebase topic) channels clients
// subscribe to: at most 50 distinct names of 1 to 100 letters, digits or
// -_.~%, kept in the order given. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED (channels, reason).
func (o *Operator) SetPushChannels(ctx context.Context, channels []string, reason string) (Settings, error) {
	var errs []error
	if len(channels) > MaxPushChannels {
		errs = append(errs, ports.InvalidField("channels", fmt.Sprintf("must be at most %d", MaxPushChannels)))
	} else {
		seen := map[string]bool{}
		for i, c := range channels {
			field := fmt.Sprintf("channels.%d", i)
			switch {
			case len(c) == 0 || len(c) > MaxPushChannel || !pushChannel.MatchString(c):
				errs = append(errs, ports.InvalidField(field,
					fmt.Sprintf("must be 1 to %d letters, digits or -_.~%%", MaxPushChannel)))
			case seen[c]:
				errs = append(errs, ports.InvalidField(field, "is given twice"))
			}
			seen[c] = true
		}
	}
	reason, err := textin.Reason("reason", reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return Settings{}, err
	}
	channels = slices.Clone(channels)
	if channels == nil {
		channels = []string{}
	}
	var out Settings
	err = o.change(ctx, "setPushChannels", reason, map[string]any{"channels": channels},
		func(ctx context.Context, now time.Time, input map[string]any) error {
			before, err := o.store.Settings(ctx)
			if err != nil {
				return err
			}
			input["before"] = before.PushChannels
			if err := o.changes.SetPushChannels(ctx, channels, now); err != nil {
				return err
			}
			out, err = o.store.Settings(ctx)
			return err
		})
	return out, err
}

// caller is the signed-in caller (the permission rows decided already
// that their role may call the operation).
func (o *Operator) caller(ctx context.Context) (*ports.Caller, error) {
	c, err := o.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}

// change runs write and the admin activity of action in one transaction
// (write may add to input, e.g. the values it replaces), then drops this
// instance's cache at once (the others hear of it from the database).
func (o *Operator) change(ctx context.Context, action, reason string, input map[string]any,
	write func(ctx context.Context, now time.Time, input map[string]any) error) error {
	c, err := o.caller(ctx)
	if err != nil {
		return err
	}
	now := o.clock.Now().UTC()
	input["reason"] = reason
	err = o.tx.InTx(ctx, func(ctx context.Context) error {
		if err := write(ctx, now, input); err != nil {
			return err
		}
		return o.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, nil, action, reason, input, nil, now))
	})
	if err != nil {
		return err
	}
	ports.MarkAudited(ctx)
	o.svc.Invalidate()
	return nil
}

func checkVersion(field, v string) error {
	if !appVersion.MatchString(v) {
		return ports.InvalidField(field, "must be a version MAJOR.MINOR.PATCH of numbers, e.g. 2.14.0")
	}
	return nil
}

func checkFlagKey(key string) error {
	if !flagKey.MatchString(key) {
		return ports.InvalidField("key", "must be 1 to 64 lower-case letters, digits and underscores, starting with a letter")
	}
	return nil
}

// checkURL accepts "" or an absolute https URL of at most maxLen bytes.
func checkURL(field, s string, maxLen int) error {
	if s == "" {
		return nil
	}
	if len(s) > maxLen {
		return ports.InvalidField(field, fmt.Sprintf("must be at most %d characters", maxLen))
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil ||
		strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return ports.InvalidField(field, "must be an https URL")
	}
	return nil
}
