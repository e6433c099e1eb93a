/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How an activity ended. */
export type ActivityResult =
  /** It was refused (rate limit, lockout). */
  | 'DENIED'
  /** It failed (wrong secret, expired code, ...). */
  | 'FAILED'
  /** It worked. */
  | 'SUCCEEDED';

/** A new level rule: reaching level needs the PRIVATE label key = value. */
export type AddLevelRuleInput = {
  /** What it means (at most 200 characters). */
  description?: string | null | undefined;
  /** A label key: 1 to 64 of a-z 0-9 _ . - starting with a letter. */
  key: string;
  /** 1 to 20. */
  level: number;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The value the label must have (1 to 255 characters). */
  value: string;
};

/** Conditions on admin activities; every condition given must hold. */
export type AdminActivityFilter = {
  /** The operation, e.g. setUserState. */
  action?: string | null | undefined;
  /** Actions of this staff member. */
  adminId?: string | number | null | undefined;
  /** At or after this time. */
  from?: string | null | undefined;
  /** Actions on this user. */
  targetUserId?: string | number | null | undefined;
  /** Before this time. */
  to?: string | null | undefined;
};

/** A new rule, and why. */
export type CreatePermissionInput = {
  /** What the rule does. */
  action: PermissionAction;
  /** A root field's name, a role-restricted Type.field, or a prefix ending in * (at most 100 characters). */
  operation: string;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The role the rule is for. */
  role: Role;
};

/** Input of approveKycSubmission. */
export type DecideKycSubmissionInput = {
  /** A PENDING submission. */
  id: string | number;
};

/** Input of approvePinReset. */
export type DecidePinResetInput = {
  /** A reset in PENDING_REVIEW. */
  id: string | number;
};

/** A rule to remove, and why. */
export type DeletePermissionInput = {
  /** The rule. */
  id: string | number;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** Where a message stands. */
export type DeliveryStatus =
  /** The message could not be delivered; see failure. */
  | 'FAILED'
  /** Waiting to be handed to the provider. */
  | 'QUEUED'
  /** The provider failed for now; it is being tried again. */
  | 'RETRYING'
  /** The provider took the message. */
  | 'SENT';

/** Kinds of documents a user can upload. */
export type DocumentType =
  /** A driving licence. */
  | 'DRIVER_LICENSE'
  /** A national identity card. */
  | 'NATIONAL_ID'
  /** A passport. */
  | 'PASSPORT'
  /** A residence permit. */
  | 'RESIDENCE_PERMIT'
  /** Proof of address; it does not count as an identity document. */
  | 'UTILITY_BILL';

/** Where a user's identity review stands. */
export type KycStatus =
  /** Compliance approved the latest submission. */
  | 'APPROVED'
  /** Nothing submitted yet. */
  | 'NONE'
  /**
   * A complete submission waits for compliance. A new identity document or
   * selfie, or a confirmed profile whose content changed, after an approval
   * is reviewed again (PENDING); the labels the approval gave stay until the
   * decision.
   */
  | 'PENDING'
  /** Compliance rejected the latest submission (see reason); the user may submit again. */
  | 'REJECTED';

/** Selects submissions; omitted fields do not filter. */
export type KycSubmissionFilter = {
  /** ISO 3166-1 alpha-2. */
  country?: string | null | undefined;
  /** Only submissions in this status. */
  status?: KycStatus | null | undefined;
  /** Submitted at or after. */
  submittedFrom?: string | null | undefined;
  /** Submitted before. */
  submittedTo?: string | null | undefined;
};

/** A label a user must carry: key, and value when given. */
export type LabelMatch = {
  /** The label key. */
  key: string;
  /** The value; any value when null. */
  value?: string | null | undefined;
};

/** Who may see and change a label. */
export type LabelScope =
  /**
   * Only Gatehouse sets it for now (a verified phone or email, a confirmed
   * profile, an approved document and selfie); the user does not see it,
   * SUPPORT, COMPLIANCE, ADMIN and SUPERADMIN do. Staff mutations for
   * labels come with the admin module. Only PRIVATE labels count for levels.
   */
  | 'PRIVATE'
  /** The user sees and may set or remove it. */
  | 'PUBLIC';

/** Where a level job stands. */
export type LevelJobState =
  /** Every user it covers was recomputed. */
  | 'DONE'
  /** Recomputing, batch after batch. */
  | 'RUNNING';

/** How a message travels. */
export type MessageChannel =
  /** An e-mail. */
  | 'EMAIL'
  /** A text message. */
  | 'SMS';

/** The width of one point of a metrics series. */
export type MetricInterval =
  /** One day (UTC). */
  | 'DAY'
  /** One hour. */
  | 'HOUR';

/** Ascending or descending. */
export type OrderDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** How a one-time code reaches its owner. */
export type OtpChannel =
  /** An email. */
  | 'EMAIL'
  /** A text message to a phone. */
  | 'SMS'
  /** Nothing is sent: the code is shown by the user's authenticator app (a recovery code also answers). */
  | 'TOTP';

/**
 * What a rule does. When several rules of a role match a field, DENY wins
 * over AUDIT, and AUDIT over ALLOW.
 */
export type PermissionAction =
  /** The role may call the field. */
  | 'ALLOW'
  /** The role may call the field, and each call writes an admin activity. */
  | 'AUDIT'
  /** The role may not call the field, whatever other rules say. */
  | 'DENY';

/** Where a PIN reset by document stands. */
export type PinResetStatus =
  /** Approved: completePinReset sets the new PIN. */
  | 'APPROVED'
  /** The new PIN was set; the ticket is spent. */
  | 'COMPLETED'
  /** Upload an identity document next (uploadPinResetDocument). */
  | 'DOCUMENT_REQUIRED'
  /** The selfie waits for compliance. */
  | 'PENDING_REVIEW'
  /** Refused (see reason); start again. */
  | 'REJECTED'
  /** Send a selfie next (submitPinResetSelfie). */
  | 'SELFIE_REQUIRED';

/** A client platform. */
export type Platform =
  /** The Android app. */
  | 'ANDROID'
  /** The iOS app. */
  | 'IOS'
  /** A web front end. */
  | 'WEB';

/** What a portfolio is for. */
export type PortfolioType =
  /** For holding savings. */
  | 'SAVINGS'
  /** For staking. */
  | 'STAKING'
  /** For buying and selling; an account's first one is its defaultPortfolio. */
  | 'TRADING';

/** A new version of a terms document. */
export type PublishTermsInput = {
  /** Whether signed-in users are asked to accept this kind; null keeps the kind's setting (false for a new kind). */
  askUsers?: boolean | null | undefined;
  /** The text or a summary of it (1 to 16000 characters); the full text at url. */
  body: string;
  /** The kind; a new kind is created by its first version. */
  kind: string;
  /** When the version takes effect (not in the past, within a year); null: now. */
  publishAt?: string | null | undefined;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** Title to show (1 to 200 characters). */
  title: string;
  /** Where the full text is published: an https URL, or empty. */
  url?: string | null | undefined;
  /** The version's name (1 to 32 letters, digits, dots, dashes, underscores); never reused within a kind. */
  version: string;
};

/** Exchange a refresh token for a new pair. */
export type RefreshSessionInput = {
  /** The refresh token last received. */
  refreshToken: string;
};

/** Input of rejectKycSubmission. */
export type RejectKycSubmissionInput = {
  /** A PENDING submission. */
  id: string | number;
  /** Shown to the user; 1 to 500 characters. */
  reason: string;
};

/** Input of rejectPinReset. */
export type RejectPinResetInput = {
  /** A reset in PENDING_REVIEW. */
  id: string | number;
  /** Shown to the user; 1 to 500 characters. */
  reason: string;
};

/** Remove a feature flag. */
export type RemoveFeatureFlagInput = {
  /** The flag's key. */
  key: string;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** The level rule to remove. */
export type RemoveLevelRuleInput = {
  /** Its label key. */
  key: string;
  /** Its level. */
  level: number;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** A label to remove from a user, and why. */
export type RemoveUserLabelInput = {
  /** The label key. */
  key: string;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The user. */
  userId: string | number;
};

/** Whose second factor to reset, and why. */
export type ResetUserMfaInput = {
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The user. */
  userId: string | number;
};

/** Send a failed delivery again. */
export type RetryDeliveryInput = {
  /** The failed delivery (FailedDelivery.id). */
  id: string | number;
};

/** Whose sessions to end, and why. */
export type RevokeUserSessionsInput = {
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The user. */
  userId: string | number;
};

/** Who a caller is to the authorization rule. */
export type Role =
  /** Accounting staff: reads accounts and portfolios. */
  | 'ACCOUNTANT'
  /** Administrator. */
  | 'ADMIN'
  /** Not signed in. */
  | 'ANONYMOUS'
  /** Compliance staff: reviews KYC. */
  | 'COMPLIANCE'
  /** A customer. */
  | 'MEMBER'
  /** A partner application acting through its token. */
  | 'PARTNER'
  /** Administrator who may grant administration. */
  | 'SUPERADMIN'
  /** Customer support staff: reads users. */
  | 'SUPPORT';

/** Replace the clients' layout. */
export type SetAppContentsInput = {
  /** A JSON object of at most 32 KiB, 16 levels deep, keys of at most 128 characters and strings of at most 4096. */
  contents: Record<string, unknown>;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** One platform's version policy. */
export type SetAppVersionInput = {
  /** MAJOR.MINOR.PATCH. */
  currentVersion: string;
  /** MAJOR.MINOR.PATCH, at most currentVersion. */
  minimumVersion: string;
  /** The platform. */
  platform: Platform;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The app's store id (at most 200 letters, digits, dots, dashes, underscores), or empty. */
  storeAppId?: string | null | undefined;
  /** An https URL (at most 500 characters), or empty. */
  storeUrl?: string | null | undefined;
};

/** The rules clients apply locally. */
export type SetClientRulesInput = {
  /** 30 to 86400. */
  idleTimeSeconds: number;
  /** 30 up to the server's own OTP lifetime; null: tell clients the server's. */
  otpLifetimeSeconds?: number | null | undefined;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** Create or replace a feature flag. */
export type SetFeatureFlagInput = {
  /** What the feature is (at most 200 characters). */
  description?: string | null | undefined;
  /** Whether clients see it. */
  enabled: boolean;
  /** 1 to 64 lower-case letters, digits and underscores, starting with a letter. */
  key: string;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** Switch maintenance on or off. */
export type SetMaintenanceInput = {
  /** On or off. While on, every operation but appConfig answers MAINTENANCE, except for signed-in staff. */
  enabled: boolean;
  /** The message users see (at most 500 characters). */
  message?: string | null | undefined;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** Replace the push channels. */
export type SetPushChannelsInput = {
  /** At most 50 distinct Firebase topic names of 1 to 100 letters, digits or -_.~%, in the order clients should see them. */
  channels: Array<string>;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
};

/** A label to set on a user, and why. */
export type SetUserLabelInput = {
  /** At most 255 characters. */
  description?: string | null | undefined;
  /** Lower-case key: a letter, then letters, digits, _ . - (at most 64). */
  key: string;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** Who sees it. */
  scope: LabelScope;
  /** The user. */
  userId: string | number;
  /** 1 to 255 characters. */
  value: string;
};

/** A user's new role, and why. */
export type SetUserRoleInput = {
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The role (not ANONYMOUS). */
  role: Role;
  /** The user. */
  userId: string | number;
};

/** A user's new state, and why. */
export type SetUserStateInput = {
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** ACTIVE, LOCKED or BANNED. */
  state: UserState;
  /** The user. */
  userId: string | number;
};

/** Sign in with a password. */
export type SignInInput = {
  /** The captcha solved on the client; required, when the signin operation is configured to need one, once this username or this client has failed to sign in GATEHOUSE_CAPTCHA_SIGNIN_AFTER times lately (answered VALIDATION_FAILED on captchaToken, reason CAPTCHA_REQUIRED, until one is sent); else ignored. */
  captchaToken?: string | null | undefined;
  /** The client's stable device identifier. */
  deviceId: string;
  /** A name for the device, used if it is new. */
  deviceName?: string | null | undefined;
  /** The secret this device got when it became trusted (AuthPayload.deviceSecret). */
  deviceSecret?: string | null | undefined;
  /** The password. */
  password: string;
  /** The account's email address or phone number (international format). */
  username: string;
};

/** What a sign-in attempt produced. */
export type SignInStatus =
  /** The PIN or password was right but the device is new: a code was sent (challenge); answer with verifyDeviceSignIn after a PIN sign-in, verifySignIn after a password sign-in. */
  | 'DEVICE_VERIFICATION_REQUIRED'
  /** The password was right and a second factor is required: answer the challenge (by SMS, email or authenticator app) with verifySignIn. */
  | 'MFA_REQUIRED'
  /** The account has no PIN yet: use startPinSetup. */
  | 'PIN_SETUP_REQUIRED'
  /** Signed in: auth is set. */
  | 'SIGNED_IN';

/** Sign in with phone and PIN. */
export type SignInWithPinInput = {
  /** The captcha solved on the client; required, when the signin operation is configured to need one, once this phone number or this client has failed to sign in GATEHOUSE_CAPTCHA_SIGNIN_AFTER times lately (answered VALIDATION_FAILED on captchaToken, reason CAPTCHA_REQUIRED, until one is sent); else ignored. */
  captchaToken?: string | null | undefined;
  /** The client's stable device identifier. */
  deviceId: string;
  /** A name for the device, used if it is new. */
  deviceName?: string | null | undefined;
  /** The secret this device got when it became trusted (AuthPayload.deviceSecret). */
  deviceSecret?: string | null | undefined;
  /** International format. */
  phone: string;
  /** The PIN. */
  pin: string;
};

/** Changes to a rule (what is null stays), and why. */
export type UpdatePermissionInput = {
  /** The new action. */
  action?: PermissionAction | null | undefined;
  /** The rule. */
  id: string | number;
  /** The new operation. */
  operation?: string | null | undefined;
  /** Why (1 to 500 characters); kept in the audit trail. */
  reason: string;
  /** The new role. */
  role?: Role | null | undefined;
};

/** Conditions on users; every condition given must hold. */
export type UserFilter = {
  /** The user's country (countryCode), ISO 3166-1 alpha-2. */
  country?: string | null | undefined;
  /** Created at or after this time. */
  createdFrom?: string | null | undefined;
  /** Created before this time. */
  createdTo?: string | null | undefined;
  /** true: only users with a KYC submission waiting for review; false: only those without. */
  documentsPending?: boolean | null | undefined;
  /** Email starting with this text, case-insensitive (a whole address matches too). 1 to 254 characters. */
  email?: string | null | undefined;
  /** Exactly this user. */
  id?: string | number | null | undefined;
  /** Where the latest KYC submission stands. */
  kycStatus?: KycStatus | null | undefined;
  /** Users carrying this label (PUBLIC or PRIVATE). */
  label?: LabelMatch | null | undefined;
  /** Level at most this. */
  levelMax?: number | null | undefined;
  /** Level at least this. */
  levelMin?: number | null | undefined;
  /** Text found in the first or last name (or display name), case-insensitive. 3 to 100 characters; when no name contains it and it has 5 or more, names close to it match too (a typo in a full name). */
  name?: string | null | undefined;
  /** Phone starting with these digits (E.164; spaces, dashes and brackets are ignored). 2 to 16 digits. */
  phone?: string | null | undefined;
  /** Users with this role. */
  role?: Role | null | undefined;
  /** Users in this state. */
  state?: UserState | null | undefined;
};

/** Order of a users list; ties are broken by id, so pages never overlap. */
export type UserOrder = {
  /** Which way. */
  direction?: OrderDirection;
  /** What to order by. */
  field: UserOrderField;
};

/** How to order a list of users. */
export type UserOrderField =
  /** When the account was created. */
  | 'CREATED_AT'
  /** When the user last signed in (users who never did come last in DESC, first in ASC). */
  | 'LAST_SIGN_IN'
  /** The name (from the KYC profile when there is one, else the display name), case-insensitive; users without a name come last either way. */
  | 'NAME';

/** Whether a user may use their account. */
export type UserState =
  /** Normal. */
  | 'ACTIVE'
  /** Banned: may not sign in. */
  | 'BANNED'
  /** Deleted by its owner: personal data erased, the audit trail kept. */
  | 'DELETED'
  /** Temporarily locked by staff. */
  | 'LOCKED'
  /** Signed up by email and not confirmed yet: may not sign in. */
  | 'PENDING';

/** Answer the code sent for a new device. */
export type VerifyDeviceSignInInput = {
  /** From signInWithPin. */
  challengeId: string | number;
  /** The digits received by SMS. */
  code: string;
};

/** Answer the second-factor challenge of a password sign-in. */
export type VerifySignInInput = {
  /** From signIn. */
  challengeId: string | number;
  /** The digits received, the authenticator app's current code, or one of the recovery codes. */
  code: string;
};

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { status: SignInStatus, challenge: { id: string, channel: OtpChannel, destination: string } | null, auth: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, name: string, email: string | null, phone: string | null, role: Role } } | null } };

export type SignInWithPinMutationVariables = Exact<{
  input: SignInWithPinInput;
}>;


export type SignInWithPinMutation = { signInWithPin: { status: SignInStatus, challenge: { id: string, channel: OtpChannel, destination: string } | null, auth: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, name: string, email: string | null, phone: string | null, role: Role } } | null } };

export type VerifySignInMutationVariables = Exact<{
  input: VerifySignInInput;
}>;


export type VerifySignInMutation = { verifySignIn: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, name: string, email: string | null, phone: string | null, role: Role } } };

export type VerifyDeviceSignInMutationVariables = Exact<{
  input: VerifyDeviceSignInInput;
}>;


export type VerifyDeviceSignInMutation = { verifyDeviceSignIn: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, name: string, email: string | null, phone: string | null, role: Role } } };

export type RefreshMutationVariables = Exact<{
  input: RefreshSessionInput;
}>;


export type RefreshMutation = { refreshSession: { accessToken: string, refreshToken: string, accessTokenExpiresAt: string, user: { id: string, name: string, email: string | null, phone: string | null, role: Role } } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type WhoamiQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoamiQuery = { myPermissions: Array<string>, me: { id: string, name: string, email: string | null, phone: string | null, role: Role } | null };

export type UsersQueryVariables = Exact<{
  filter?: UserFilter | null | undefined;
  orderBy?: UserOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  kyc: boolean;
}>;


export type UsersQuery = { users: { totalCount: number, totalCountExact: boolean, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, email: string | null, phone: string | null, role: Role, state: UserState, level: number, countryCode: string, createdAt: string, lastSignInAt: string | null, kycStatus?: KycStatus } }> } };

export type UserDetailQueryVariables = Exact<{
  id: string | number;
  profile: boolean;
  kyc: boolean;
  labels: boolean;
  phones: boolean;
  documents: boolean;
  selfie: boolean;
  devices: boolean;
  accounts: boolean;
}>;


export type UserDetailQuery = { user: { id: string, name: string, email: string | null, phone: string | null, pendingPhone: string | null, role: Role, state: UserState, level: number, countryCode: string, hasPin: boolean, hasPassword: boolean, totpEnabled: boolean, referralCode: string, createdAt: string, lastSignInAt: string | null, kycStatus?: KycStatus, kycRejectionReason?: string, profile?: { firstName: string, lastName: string, dateOfBirth: string, address: string, postcode: string, city: string, country: string, confirmed: boolean } | null, labels?: Array<{ key: string, value: string, scope: LabelScope, description: string, updatedAt: string }>, phones?: Array<{ id: string, number: string, verified: boolean, verifiedAt: string | null, createdAt: string }>, documents?: Array<{ id: string, type: DocumentType, number: string, expiresOn: string, createdAt: string, front: { id: string, contentType: string, url: string | null }, back: { id: string, contentType: string, url: string | null } | null }>, selfie?: { id: string, createdAt: string, image: { id: string, contentType: string, url: string | null } } | null, devices?: Array<{ id: string, deviceId: string, name: string, trusted: boolean, createdAt: string, lastSeenAt: string }>, accounts?: Array<{ id: string, email: string, subAccountId: string, active: boolean, createdAt: string, portfolios: Array<{ id: string, name: string, type: PortfolioType, address: string, publicStrategy: boolean, createdAt: string }> }> } | null };

export type UserSessionsQueryVariables = Exact<{
  id: string | number;
}>;


export type UserSessionsQuery = { user: { id: string, sessions: Array<{ id: string, createdAt: string, lastUsedAt: string, expiresAt: string, mfa: boolean, device: { name: string, deviceId: string } }> } | null };

export type UserActivityQueryVariables = Exact<{
  id: string | number;
}>;


export type UserActivityQuery = { user: { id: string, recentActivity: Array<{ id: string, topic: string, action: string, result: ActivityResult, reason: string | null, ip: string, createdAt: string }> } | null };

export type SetUserStateMutationVariables = Exact<{
  input: SetUserStateInput;
}>;


export type SetUserStateMutation = { setUserState: { id: string, state: UserState } };

export type SetUserRoleMutationVariables = Exact<{
  input: SetUserRoleInput;
}>;


export type SetUserRoleMutation = { setUserRole: { id: string, role: Role } };

export type SetUserLabelMutationVariables = Exact<{
  input: SetUserLabelInput;
}>;


export type SetUserLabelMutation = { setUserLabel: { key: string, value: string, scope: LabelScope } };

export type RemoveUserLabelMutationVariables = Exact<{
  input: RemoveUserLabelInput;
}>;


export type RemoveUserLabelMutation = { removeUserLabel: boolean };

export type ResetUserMfaMutationVariables = Exact<{
  input: ResetUserMfaInput;
}>;


export type ResetUserMfaMutation = { resetUserMfa: { id: string, totpEnabled: boolean } };

export type RevokeUserSessionsMutationVariables = Exact<{
  input: RevokeUserSessionsInput;
}>;


export type RevokeUserSessionsMutation = { revokeUserSessions: { revoked: number } };

export type KycQueueQueryVariables = Exact<{
  filter?: KycSubmissionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type KycQueueQuery = { kycSubmissions: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: KycStatus, country: string, submittedAt: string, decidedAt: string | null, reason: string, user: { id: string, name: string, email: string | null, phone: string | null }, profile: { firstName: string, lastName: string, dateOfBirth: string, country: string } | null, document: { id: string, type: DocumentType, number: string, expiresOn: string, front: { id: string, contentType: string, url: string | null }, back: { id: string, contentType: string, url: string | null } | null }, selfie: { id: string, image: { id: string, contentType: string, url: string | null } } } }> } };

export type ApproveKycMutationVariables = Exact<{
  input: DecideKycSubmissionInput;
}>;


export type ApproveKycMutation = { approveKycSubmission: { id: string, status: KycStatus } };

export type RejectKycMutationVariables = Exact<{
  input: RejectKycSubmissionInput;
}>;


export type RejectKycMutation = { rejectKycSubmission: { id: string, status: KycStatus, reason: string } };

export type PinResetsQueryVariables = Exact<{
  status?: PinResetStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PinResetsQuery = { pinResets: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: PinResetStatus, reason: string, createdAt: string, decidedAt: string | null, documentUploaded: boolean, user: { id: string, name: string, phone: string | null }, document: { id: string, type: DocumentType, number: string, front: { id: string, contentType: string, url: string | null } } | null, selfie: { id: string, contentType: string, url: string | null } | null } }> } };

export type ApprovePinResetMutationVariables = Exact<{
  input: DecidePinResetInput;
}>;


export type ApprovePinResetMutation = { approvePinReset: { id: string, status: PinResetStatus } };

export type RejectPinResetMutationVariables = Exact<{
  input: RejectPinResetInput;
}>;


export type RejectPinResetMutation = { rejectPinReset: { id: string, status: PinResetStatus } };

export type FailedDeliveriesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FailedDeliveriesQuery = { failedDeliveries: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, channel: MessageChannel, destination: string, template: string, about: string, reason: string, detail: string, provider: string, attempts: number, createdAt: string, failedAt: string, codeExpiresAt: string | null } }> } };

export type RetryDeliveryMutationVariables = Exact<{
  input: RetryDeliveryInput;
}>;


export type RetryDeliveryMutation = { retryDelivery: { id: string, status: DeliveryStatus } };

export type PermissionRowsQueryVariables = Exact<{ [key: string]: never; }>;


export type PermissionRowsQuery = { permissions: Array<{ id: string, role: Role, operation: string, action: PermissionAction, updatedAt: string }> };

export type CreatePermissionMutationVariables = Exact<{
  input: CreatePermissionInput;
}>;


export type CreatePermissionMutation = { createPermission: { id: string } };

export type UpdatePermissionMutationVariables = Exact<{
  input: UpdatePermissionInput;
}>;


export type UpdatePermissionMutation = { updatePermission: { id: string, action: PermissionAction } };

export type DeletePermissionMutationVariables = Exact<{
  input: DeletePermissionInput;
}>;


export type DeletePermissionMutation = { deletePermission: boolean };

export type AdminActivitiesQueryVariables = Exact<{
  filter?: AdminActivityFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminActivitiesQuery = { adminActivities: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, action: string, reason: string, result: ActivityResult, error: string | null, ip: string, createdAt: string, admin: { id: string, name: string, email: string | null, phone: string | null } | null, targetUser: { id: string, name: string, email: string | null, phone: string | null } | null } }> } };

export type MetricsQueryVariables = Exact<{
  from: string;
  to: string;
  interval?: MetricInterval | null | undefined;
}>;


export type MetricsQuery = { adminMetrics: { from: string, to: string, interval: MetricInterval, totals: { signUps: number, signInsSucceeded: number, signInsFailed: number, otpsSent: number, kycPending: number, kycApproved: number, kycRejected: number, activeUsers: number }, series: Array<{ start: string, signUps: number, signInsSucceeded: number, signInsFailed: number, otpsSent: number, kycPending: number, kycApproved: number, kycRejected: number, activeUsers: number }> } };

export type OperatorSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type OperatorSettingsQuery = { operatorSettings: { appContents: Record<string, unknown>, pushChannels: Array<string>, updatedAt: string, maintenance: { enabled: boolean, message: string | null }, appVersions: Array<{ platform: Platform, minimumVersion: string, currentVersion: string, storeUrl: string, storeAppId: string }>, featureFlags: Array<{ key: string, enabled: boolean, description: string }>, rules: { idleTimeSeconds: number, otpLifetimeSeconds: number | null, serverOtpLifetimeSeconds: number } }, termsKinds: Array<{ kind: string, askUsers: boolean, current: { version: string, title: string, url: string | null, publishedAt: string } | null }> };

export type SetMaintenanceMutationVariables = Exact<{
  input: SetMaintenanceInput;
}>;


export type SetMaintenanceMutation = { setMaintenance: { maintenance: { enabled: boolean } } };

export type SetAppVersionMutationVariables = Exact<{
  input: SetAppVersionInput;
}>;


export type SetAppVersionMutation = { setAppVersion: { appVersion: { platform: Platform } } };

export type SetFeatureFlagMutationVariables = Exact<{
  input: SetFeatureFlagInput;
}>;


export type SetFeatureFlagMutation = { setFeatureFlag: { featureFlag: { key: string, enabled: boolean } } };

export type RemoveFeatureFlagMutationVariables = Exact<{
  input: RemoveFeatureFlagInput;
}>;


export type RemoveFeatureFlagMutation = { removeFeatureFlag: { removed: boolean } };

export type SetClientRulesMutationVariables = Exact<{
  input: SetClientRulesInput;
}>;


export type SetClientRulesMutation = { setClientRules: { rules: { idleTimeSeconds: number } } };

export type SetAppContentsMutationVariables = Exact<{
  input: SetAppContentsInput;
}>;


export type SetAppContentsMutation = { setAppContents: { appContents: Record<string, unknown> } };

export type SetPushChannelsMutationVariables = Exact<{
  input: SetPushChannelsInput;
}>;


export type SetPushChannelsMutation = { setPushChannels: { pushChannels: Array<string> } };

export type PublishTermsMutationVariables = Exact<{
  input: PublishTermsInput;
}>;


export type PublishTermsMutation = { publishTerms: { document: { kind: string, version: string } } };

export type LevelRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type LevelRulesQuery = { levels: Array<{ level: number, rules: Array<{ key: string, value: string, description: string }> }>, levelJobs: Array<{ id: string, state: LevelJobState, action: string, minLevel: number, done: number, total: number, changed: number, createdAt: string, finishedAt: string | null }> };

export type AddLevelRuleMutationVariables = Exact<{
  input: AddLevelRuleInput;
}>;


export type AddLevelRuleMutation = { addLevelRule: { level: number, job: { id: string } } };

export type RemoveLevelRuleMutationVariables = Exact<{
  input: RemoveLevelRuleInput;
}>;


export type RemoveLevelRuleMutation = { removeLevelRule: { removed: boolean } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignInWithPinDocument = new TypedDocumentString(`
    mutation SignInWithPin($input: SignInWithPinInput!) {
  signInWithPin(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SignInWithPinMutation, SignInWithPinMutationVariables>;
export const VerifySignInDocument = new TypedDocumentString(`
    mutation VerifySignIn($input: VerifySignInInput!) {
  verifySignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `) as unknown as TypedDocumentString<VerifySignInMutation, VerifySignInMutationVariables>;
export const VerifyDeviceSignInDocument = new TypedDocumentString(`
    mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
  verifyDeviceSignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `) as unknown as TypedDocumentString<VerifyDeviceSignInMutation, VerifyDeviceSignInMutationVariables>;
export const RefreshDocument = new TypedDocumentString(`
    mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshMutation, RefreshMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const WhoamiDocument = new TypedDocumentString(`
    query Whoami {
  me {
    id
    name
    email
    phone
    role
  }
  myPermissions
}
    `) as unknown as TypedDocumentString<WhoamiQuery, WhoamiQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
  users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    totalCountExact
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        email
        phone
        role
        state
        level
        countryCode
        createdAt
        lastSignInAt
        kycStatus @include(if: $kyc)
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const UserDetailDocument = new TypedDocumentString(`
    query UserDetail($id: ID!, $profile: Boolean!, $kyc: Boolean!, $labels: Boolean!, $phones: Boolean!, $documents: Boolean!, $selfie: Boolean!, $devices: Boolean!, $accounts: Boolean!) {
  user(id: $id) {
    id
    name
    email
    phone
    pendingPhone
    role
    state
    level
    countryCode
    hasPin
    hasPassword
    totpEnabled
    referralCode
    createdAt
    lastSignInAt
    kycStatus @include(if: $kyc)
    kycRejectionReason @include(if: $kyc)
    profile @include(if: $profile) {
      firstName
      lastName
      dateOfBirth
      address
      postcode
      city
      country
      confirmed
    }
    labels @include(if: $labels) {
      key
      value
      scope
      description
      updatedAt
    }
    phones @include(if: $phones) {
      id
      number
      verified
      verifiedAt
      createdAt
    }
    documents @include(if: $documents) {
      id
      type
      number
      expiresOn
      createdAt
      front {
        id
        contentType
        url
      }
      back {
        id
        contentType
        url
      }
    }
    selfie @include(if: $selfie) {
      id
      createdAt
      image {
        id
        contentType
        url
      }
    }
    devices @include(if: $devices) {
      id
      deviceId
      name
      trusted
      createdAt
      lastSeenAt
    }
    accounts @include(if: $accounts) {
      id
      email
      subAccountId
      active
      createdAt
      portfolios {
        id
        name
        type
        address
        publicStrategy
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserDetailQuery, UserDetailQueryVariables>;
export const UserSessionsDocument = new TypedDocumentString(`
    query UserSessions($id: ID!) {
  user(id: $id) {
    id
    sessions {
      id
      createdAt
      lastUsedAt
      expiresAt
      mfa
      device {
        name
        deviceId
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserSessionsQuery, UserSessionsQueryVariables>;
export const UserActivityDocument = new TypedDocumentString(`
    query UserActivity($id: ID!) {
  user(id: $id) {
    id
    recentActivity(first: 20) {
      id
      topic
      action
      result
      reason
      ip
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<UserActivityQuery, UserActivityQueryVariables>;
export const SetUserStateDocument = new TypedDocumentString(`
    mutation SetUserState($input: SetUserStateInput!) {
  setUserState(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<SetUserStateMutation, SetUserStateMutationVariables>;
export const SetUserRoleDocument = new TypedDocumentString(`
    mutation SetUserRole($input: SetUserRoleInput!) {
  setUserRole(input: $input) {
    id
    role
  }
}
    `) as unknown as TypedDocumentString<SetUserRoleMutation, SetUserRoleMutationVariables>;
export const SetUserLabelDocument = new TypedDocumentString(`
    mutation SetUserLabel($input: SetUserLabelInput!) {
  setUserLabel(input: $input) {
    key
    value
    scope
  }
}
    `) as unknown as TypedDocumentString<SetUserLabelMutation, SetUserLabelMutationVariables>;
export const RemoveUserLabelDocument = new TypedDocumentString(`
    mutation RemoveUserLabel($input: RemoveUserLabelInput!) {
  removeUserLabel(input: $input)
}
    `) as unknown as TypedDocumentString<RemoveUserLabelMutation, RemoveUserLabelMutationVariables>;
export const ResetUserMfaDocument = new TypedDocumentString(`
    mutation ResetUserMfa($input: ResetUserMfaInput!) {
  resetUserMfa(input: $input) {
    id
    totpEnabled
  }
}
    `) as unknown as TypedDocumentString<ResetUserMfaMutation, ResetUserMfaMutationVariables>;
export const RevokeUserSessionsDocument = new TypedDocumentString(`
    mutation RevokeUserSessions($input: RevokeUserSessionsInput!) {
  revokeUserSessions(input: $input) {
    revoked
  }
}
    `) as unknown as TypedDocumentString<RevokeUserSessionsMutation, RevokeUserSessionsMutationVariables>;
export const KycQueueDocument = new TypedDocumentString(`
    query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
  kycSubmissions(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        country
        submittedAt
        decidedAt
        reason
        user {
          id
          name
          email
          phone
        }
        profile {
          firstName
          lastName
          dateOfBirth
          country
        }
        document {
          id
          type
          number
          expiresOn
          front {
            id
            contentType
            url
          }
          back {
            id
            contentType
            url
          }
        }
        selfie {
          id
          image {
            id
            contentType
            url
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<KycQueueQuery, KycQueueQueryVariables>;
export const ApproveKycDocument = new TypedDocumentString(`
    mutation ApproveKyc($input: DecideKycSubmissionInput!) {
  approveKycSubmission(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ApproveKycMutation, ApproveKycMutationVariables>;
export const RejectKycDocument = new TypedDocumentString(`
    mutation RejectKyc($input: RejectKycSubmissionInput!) {
  rejectKycSubmission(input: $input) {
    id
    status
    reason
  }
}
    `) as unknown as TypedDocumentString<RejectKycMutation, RejectKycMutationVariables>;
export const PinResetsDocument = new TypedDocumentString(`
    query PinResets($status: PinResetStatus, $first: Int, $after: String) {
  pinResets(status: $status, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        reason
        createdAt
        decidedAt
        documentUploaded
        user {
          id
          name
          phone
        }
        document {
          id
          type
          number
          front {
            id
            contentType
            url
          }
        }
        selfie {
          id
          contentType
          url
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PinResetsQuery, PinResetsQueryVariables>;
export const ApprovePinResetDocument = new TypedDocumentString(`
    mutation ApprovePinReset($input: DecidePinResetInput!) {
  approvePinReset(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ApprovePinResetMutation, ApprovePinResetMutationVariables>;
export const RejectPinResetDocument = new TypedDocumentString(`
    mutation RejectPinReset($input: RejectPinResetInput!) {
  rejectPinReset(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RejectPinResetMutation, RejectPinResetMutationVariables>;
export const FailedDeliveriesDocument = new TypedDocumentString(`
    query FailedDeliveries($first: Int, $after: String) {
  failedDeliveries(first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        channel
        destination
        template
        about
        reason
        detail
        provider
        attempts
        createdAt
        failedAt
        codeExpiresAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FailedDeliveriesQuery, FailedDeliveriesQueryVariables>;
export const RetryDeliveryDocument = new TypedDocumentString(`
    mutation RetryDelivery($input: RetryDeliveryInput!) {
  retryDelivery(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RetryDeliveryMutation, RetryDeliveryMutationVariables>;
export const PermissionRowsDocument = new TypedDocumentString(`
    query PermissionRows {
  permissions {
    id
    role
    operation
    action
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<PermissionRowsQuery, PermissionRowsQueryVariables>;
export const CreatePermissionDocument = new TypedDocumentString(`
    mutation CreatePermission($input: CreatePermissionInput!) {
  createPermission(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreatePermissionMutation, CreatePermissionMutationVariables>;
export const UpdatePermissionDocument = new TypedDocumentString(`
    mutation UpdatePermission($input: UpdatePermissionInput!) {
  updatePermission(input: $input) {
    id
    action
  }
}
    `) as unknown as TypedDocumentString<UpdatePermissionMutation, UpdatePermissionMutationVariables>;
export const DeletePermissionDocument = new TypedDocumentString(`
    mutation DeletePermission($input: DeletePermissionInput!) {
  deletePermission(input: $input)
}
    `) as unknown as TypedDocumentString<DeletePermissionMutation, DeletePermissionMutationVariables>;
export const AdminActivitiesDocument = new TypedDocumentString(`
    query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
  adminActivities(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        action
        reason
        result
        error
        ip
        createdAt
        admin {
          id
          name
          email
          phone
        }
        targetUser {
          id
          name
          email
          phone
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminActivitiesQuery, AdminActivitiesQueryVariables>;
export const MetricsDocument = new TypedDocumentString(`
    query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
  adminMetrics(from: $from, to: $to, interval: $interval) {
    from
    to
    interval
    totals {
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
    series {
      start
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
  }
}
    `) as unknown as TypedDocumentString<MetricsQuery, MetricsQueryVariables>;
export const OperatorSettingsDocument = new TypedDocumentString(`
    query OperatorSettings {
  operatorSettings {
    maintenance {
      enabled
      message
    }
    appVersions {
      platform
      minimumVersion
      currentVersion
      storeUrl
      storeAppId
    }
    featureFlags {
      key
      enabled
      description
    }
    rules {
      idleTimeSeconds
      otpLifetimeSeconds
      serverOtpLifetimeSeconds
    }
    appContents
    pushChannels
    updatedAt
  }
  termsKinds {
    kind
    askUsers
    current {
      version
      title
      url
      publishedAt
    }
  }
}
    `) as unknown as TypedDocumentString<OperatorSettingsQuery, OperatorSettingsQueryVariables>;
export const SetMaintenanceDocument = new TypedDocumentString(`
    mutation SetMaintenance($input: SetMaintenanceInput!) {
  setMaintenance(input: $input) {
    maintenance {
      enabled
    }
  }
}
    `) as unknown as TypedDocumentString<SetMaintenanceMutation, SetMaintenanceMutationVariables>;
export const SetAppVersionDocument = new TypedDocumentString(`
    mutation SetAppVersion($input: SetAppVersionInput!) {
  setAppVersion(input: $input) {
    appVersion {
      platform
    }
  }
}
    `) as unknown as TypedDocumentString<SetAppVersionMutation, SetAppVersionMutationVariables>;
export const SetFeatureFlagDocument = new TypedDocumentString(`
    mutation SetFeatureFlag($input: SetFeatureFlagInput!) {
  setFeatureFlag(input: $input) {
    featureFlag {
      key
      enabled
    }
  }
}
    `) as unknown as TypedDocumentString<SetFeatureFlagMutation, SetFeatureFlagMutationVariables>;
export const RemoveFeatureFlagDocument = new TypedDocumentString(`
    mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) {
  removeFeatureFlag(input: $input) {
    removed
  }
}
    `) as unknown as TypedDocumentString<RemoveFeatureFlagMutation, RemoveFeatureFlagMutationVariables>;
export const SetClientRulesDocument = new TypedDocumentString(`
    mutation SetClientRules($input: SetClientRulesInput!) {
  setClientRules(input: $input) {
    rules {
      idleTimeSeconds
    }
  }
}
    `) as unknown as TypedDocumentString<SetClientRulesMutation, SetClientRulesMutationVariables>;
export const SetAppContentsDocument = new TypedDocumentString(`
    mutation SetAppContents($input: SetAppContentsInput!) {
  setAppContents(input: $input) {
    appContents
  }
}
    `) as unknown as TypedDocumentString<SetAppContentsMutation, SetAppContentsMutationVariables>;
export const SetPushChannelsDocument = new TypedDocumentString(`
    mutation SetPushChannels($input: SetPushChannelsInput!) {
  setPushChannels(input: $input) {
    pushChannels
  }
}
    `) as unknown as TypedDocumentString<SetPushChannelsMutation, SetPushChannelsMutationVariables>;
export const PublishTermsDocument = new TypedDocumentString(`
    mutation PublishTerms($input: PublishTermsInput!) {
  publishTerms(input: $input) {
    document {
      kind
      version
    }
  }
}
    `) as unknown as TypedDocumentString<PublishTermsMutation, PublishTermsMutationVariables>;
export const LevelRulesDocument = new TypedDocumentString(`
    query LevelRules {
  levels {
    level
    rules {
      key
      value
      description
    }
  }
  levelJobs(first: 10) {
    id
    state
    action
    minLevel
    done
    total
    changed
    createdAt
    finishedAt
  }
}
    `) as unknown as TypedDocumentString<LevelRulesQuery, LevelRulesQueryVariables>;
export const AddLevelRuleDocument = new TypedDocumentString(`
    mutation AddLevelRule($input: AddLevelRuleInput!) {
  addLevelRule(input: $input) {
    level
    job {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AddLevelRuleMutation, AddLevelRuleMutationVariables>;
export const RemoveLevelRuleDocument = new TypedDocumentString(`
    mutation RemoveLevelRule($input: RemoveLevelRuleInput!) {
  removeLevelRule(input: $input) {
    removed
  }
}
    `) as unknown as TypedDocumentString<RemoveLevelRuleMutation, RemoveLevelRuleMutationVariables>;