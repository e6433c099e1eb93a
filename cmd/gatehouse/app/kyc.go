package app

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/blob"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/adapters/selfie"
	"github.com/gatehouse/gatehouse/adapters/standin"
	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/adapters/wallet"
	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
)

// kycModule binds the adapters the KYC, PIN reset and accounts modules
// need: the encrypted blob store, the selfie verifier and the wallet
// addresses.
var kycModule = fx.Module("kyc-adapters",
	fx.Provide(
		provideBlobStore,
		func() pinreset.SelfieVerifier { return selfie.NewQueue() },
		provideWallet,
		func(cfg Config) (kyc.Config, error) {
			c := kyc.DefaultConfig()
			if cfg.Serving() {
				linkKey, err := dataKey(cfg)
				if err != nil {
					return kyc.Config{}, err
				}
				c.LinkKey = secrets.DeriveKey(linkKey, "gatehouse/kyc-links")
			} else {
				c.LinkKey = ephemeralKey()
			}
			c.Files.MaxBytes = cfg.KYCMaxFileBytes
			c.LinkTTL = cfg.KYCLinkTTL
			return c, nil
		},
		func(cfg Config) pinreset.Config {
			c := pinreset.DefaultConfig()
			c.TTL = cfg.PINResetTTL
			return c
		},
		func(cfg Config) accounts.Config {
			c := accounts.DefaultConfig()
			c.MaxPortfoliosPerAccount = cfg.MaxPortfolios
			// The viewers' accounts are kept as long as their sessions.
			c.ViewerCacheTTL, c.ViewerCacheSize = cfg.SessionCacheTTL, cfg.SessionCacheSize
			return c
		},
	),
)

// deviceBudgets is pinreset's Budgets: identity's rule (BudgetFor) over
// identity's devices.
type deviceBudgets struct{ devices identity.DeviceLookup }

func (b deviceBudgets) BudgetFor(ctx context.Context, userID uuid.UUID, device identity.DeviceProof) (otp.SendBudget, error) {
	return identity.BudgetFor(ctx, b.devices, userID, device)
}

// runBlobJanitor deletes, every 10 minutes, the KYC objects whose uploads
// never committed (kyc.OrphanBlobAge after their intent), while the app
// serves.
func runBlobJanitor(lc fx.Lifecycle, svc *kyc.Uploads, log *slog.Logger) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				t := time.NewTicker(10 * time.Minute)
				defer t.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-t.C:
						if n, err := svc.SweepOrphanBlobs(ctx); err != nil && ctx.Err() == nil {
							log.WarnContext(ctx, "orphan KYC object sweep failed", "err", err)
						} else if n > 0 {
							log.InfoContext(ctx, "orphan KYC objects deleted", "objects", n)
						}
					}
				}
			}()
			return nil
		},
		OnStop: func(context.Context) error { cancel(); <-done; return nil },
	})
}

// ParseBlobKeys reads "id:key,id:key" (keys hex or base64 of 32 bytes) and
// picks the key that encrypts new files: currentID, or the first.
func ParseBlobKeys(spec, currentID string) (map[string][]byte, string, error) {
	keys := map[string][]byte{}
	first := ""
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, raw, ok := strings.Cut(part, ":")
		if !ok || id == "" || len(id) > 32 {
			return nil, "", fmt.Errorf("must be id:key pairs separated by commas (ids up to 32 characters)")
		}
		key, err := token.DecodeSecret(raw)
		if err != nil || len(key) != 32 {
			return nil, "", fmt.Errorf("key %q must be 32 bytes, hex or base64", id)
		}
		if _, dup := keys[id]; dup {
			return nil, "", fmt.Errorf("key id %q appears twice", id)
		}
		keys[id] = key
		if first == "" {
			first = id
		}
	}
	if len(keys) == 0 {
		return nil, "", fmt.Errorf("names no key")
	}
	if currentID == "" {
		currentID = first
	}
	if _, ok := keys[currentID]; !ok {
		return nil, "", fmt.Errorf("GATEHOUSE_BLOB_KEY_ID %q is not one of the keys", currentID)
	}
	return keys, currentID, nil
}

// provideBlobStore is the configured store wrapped in Sealed, so every
// KYC file is encrypted by Gatehouse before it leaves the process.
func provideBlobStore(cfg Config) (ports.BlobStore, error) {
	if !cfg.Serving() {
		return standin.Refusing{What: "KYC file storage"}, nil
	}
	var keys map[string][]byte
	current := cfg.BlobKeyID
	if cfg.BlobKeys != "" {
		var err error
		if keys, current, err = ParseBlobKeys(cfg.BlobKeys, cfg.BlobKeyID); err != nil {
			return nil, fmt.Errorf("GATEHOUSE_BLOB_KEYS: %w", err)
		}
	} else {
		if err := EnsureDataDir(cfg); err != nil {
			return nil, err
		}
		key, err := token.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "keys", "blob.key"), !cfg.Prod(), 32)
		if err != nil {
			return nil, fmt.Errorf("GATEHOUSE_DATA_DIR: %w", err)
		}
		current = "dev1"
		keys = map[string][]byte{current: key}
	}
	var inner ports.BlobStore
	var err error
	if cfg.BlobStore == "s3" {
		inner, err = blob.NewS3(cfg.S3)
	} else if inner, err = blob.NewLocal(cfg.BlobDir); err != nil {
		err = fmt.Errorf("GATEHOUSE_BLOB_DIR: %w", err)
	}
	if err != nil {
		return nil, err
	}
	return blob.NewSealed(inner, keys, current)
}

func provideWallet(cfg Config) (accounts.PortfolioAddresses, error) {
	if !cfg.Serving() {
		return standin.Refusing{What: "portfolio addresses (GATEHOUSE_WALLET_SEED)"}, nil
	}
	var seed []byte
	var err error
	if cfg.WalletSeed != "" {
		seed, err = token.DecodeSecret(cfg.WalletSeed)
	} else {
		if err = EnsureDataDir(cfg); err != nil {
			return nil, err
		}
		seed, err = token.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "keys", "wallet.seed"), !cfg.Prod(), 32)
	}
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_WALLET_SEED: %w", err)
	}
	return wallet.NewDerived(seed)
}

// dataKey is the data key's bytes (GATEHOUSE_DATA_KEY, or in dev the one
// generated under the data dir).
func dataKey(cfg Config) ([]byte, error) {
	var master []byte
	var err error
	if cfg.DataKey != "" {
		master, err = token.DecodeSecret(cfg.DataKey)
	} else {
		master, err = token.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "keys", "data.key"), !cfg.Prod(), 32)
	}
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_DATA_KEY: %w", err)
	}
	if len(master) != 32 {
		return nil, fmt.Errorf("GATEHOUSE_DATA_KEY must be 32 bytes, got %d", len(master))
	}
	return master, nil
}
