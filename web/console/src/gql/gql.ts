/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n": typeof types.SignInWithPinDocument,
    "\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": typeof types.VerifySignInDocument,
    "\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": typeof types.VerifyDeviceSignInDocument,
    "\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation SignOut { signOut }\n": typeof types.SignOutDocument,
    "\n  query Whoami { me { id name email phone role } myPermissions }\n": typeof types.WhoamiDocument,
    "\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n": typeof types.UserDetailDocument,
    "\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n": typeof types.UserSessionsDocument,
    "\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n": typeof types.UserActivityDocument,
    "\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n": typeof types.SetUserStateDocument,
    "\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n": typeof types.SetUserRoleDocument,
    "\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n": typeof types.SetUserLabelDocument,
    "\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n": typeof types.RemoveUserLabelDocument,
    "\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n": typeof types.ResetUserMfaDocument,
    "\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n": typeof types.RevokeUserSessionsDocument,
    "\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n": typeof types.KycQueueDocument,
    "\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n": typeof types.ApproveKycDocument,
    "\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n": typeof types.RejectKycDocument,
    "\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n": typeof types.PinResetsDocument,
    "\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n": typeof types.ApprovePinResetDocument,
    "\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n": typeof types.RejectPinResetDocument,
    "\n  query FailedDeliveries($first: Int, $after: String) {\n    failedDeliveries(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }\n      }\n    }\n  }\n": typeof types.FailedDeliveriesDocument,
    "\n  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }\n": typeof types.RetryDeliveryDocument,
    "\n  query PermissionRows { permissions { id role operation action updatedAt } }\n": typeof types.PermissionRowsDocument,
    "\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n": typeof types.CreatePermissionDocument,
    "\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n": typeof types.UpdatePermissionDocument,
    "\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n": typeof types.DeletePermissionDocument,
    "\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n": typeof types.AdminActivitiesDocument,
    "\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n": typeof types.MetricsDocument,
    "\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n": typeof types.OperatorSettingsDocument,
    "\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n": typeof types.SetMaintenanceDocument,
    "\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n": typeof types.SetAppVersionDocument,
    "\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n": typeof types.SetFeatureFlagDocument,
    "\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n": typeof types.RemoveFeatureFlagDocument,
    "\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n": typeof types.SetClientRulesDocument,
    "\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n": typeof types.SetAppContentsDocument,
    "\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n": typeof types.SetPushChannelsDocument,
    "\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n": typeof types.PublishTermsDocument,
    "\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n": typeof types.LevelRulesDocument,
    "\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n": typeof types.AddLevelRuleDocument,
    "\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n": typeof types.RemoveLevelRuleDocument,
};
const documents: Documents = {
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n": types.SignInWithPinDocument,
    "\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": types.VerifySignInDocument,
    "\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": types.VerifyDeviceSignInDocument,
    "\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n": types.RefreshDocument,
    "\n  mutation SignOut { signOut }\n": types.SignOutDocument,
    "\n  query Whoami { me { id name email phone role } myPermissions }\n": types.WhoamiDocument,
    "\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n": types.UsersDocument,
    "\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n": types.UserDetailDocument,
    "\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n": types.UserSessionsDocument,
    "\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n": types.UserActivityDocument,
    "\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n": types.SetUserStateDocument,
    "\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n": types.SetUserRoleDocument,
    "\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n": types.SetUserLabelDocument,
    "\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n": types.RemoveUserLabelDocument,
    "\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n": types.ResetUserMfaDocument,
    "\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n": types.RevokeUserSessionsDocument,
    "\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n": types.KycQueueDocument,
    "\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n": types.ApproveKycDocument,
    "\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n": types.RejectKycDocument,
    "\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n": types.PinResetsDocument,
    "\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n": types.ApprovePinResetDocument,
    "\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n": types.RejectPinResetDocument,
    "\n  query FailedDeliveries($first: Int, $after: String) {\n    failedDeliveries(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }\n      }\n    }\n  }\n": types.FailedDeliveriesDocument,
    "\n  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }\n": types.RetryDeliveryDocument,
    "\n  query PermissionRows { permissions { id role operation action updatedAt } }\n": types.PermissionRowsDocument,
    "\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n": types.CreatePermissionDocument,
    "\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n": types.UpdatePermissionDocument,
    "\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n": types.DeletePermissionDocument,
    "\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n": types.AdminActivitiesDocument,
    "\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n": types.MetricsDocument,
    "\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n": types.OperatorSettingsDocument,
    "\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n": types.SetMaintenanceDocument,
    "\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n": types.SetAppVersionDocument,
    "\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n": types.SetFeatureFlagDocument,
    "\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n": types.RemoveFeatureFlagDocument,
    "\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n": types.SetClientRulesDocument,
    "\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n": types.SetAppContentsDocument,
    "\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n": types.SetPushChannelsDocument,
    "\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n": types.PublishTermsDocument,
    "\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n": types.LevelRulesDocument,
    "\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n": types.AddLevelRuleDocument,
    "\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n": types.RemoveLevelRuleDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n"): typeof import('./graphql').SignInWithPinDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n"): typeof import('./graphql').VerifySignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n"): typeof import('./graphql').VerifyDeviceSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n"): typeof import('./graphql').RefreshDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut { signOut }\n"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Whoami { me { id name email phone role } myPermissions }\n"): typeof import('./graphql').WhoamiDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n"): typeof import('./graphql').UserDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n"): typeof import('./graphql').UserSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n"): typeof import('./graphql').UserActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n"): typeof import('./graphql').SetUserStateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n"): typeof import('./graphql').SetUserRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n"): typeof import('./graphql').SetUserLabelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n"): typeof import('./graphql').RemoveUserLabelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n"): typeof import('./graphql').ResetUserMfaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n"): typeof import('./graphql').RevokeUserSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').KycQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n"): typeof import('./graphql').ApproveKycDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n"): typeof import('./graphql').RejectKycDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').PinResetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n"): typeof import('./graphql').ApprovePinResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n"): typeof import('./graphql').RejectPinResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FailedDeliveries($first: Int, $after: String) {\n    failedDeliveries(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }\n      }\n    }\n  }\n"): typeof import('./graphql').FailedDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }\n"): typeof import('./graphql').RetryDeliveryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PermissionRows { permissions { id role operation action updatedAt } }\n"): typeof import('./graphql').PermissionRowsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n"): typeof import('./graphql').CreatePermissionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n"): typeof import('./graphql').UpdatePermissionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n"): typeof import('./graphql').DeletePermissionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n"): typeof import('./graphql').AdminActivitiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n"): typeof import('./graphql').MetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n"): typeof import('./graphql').OperatorSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n"): typeof import('./graphql').SetMaintenanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n"): typeof import('./graphql').SetAppVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n"): typeof import('./graphql').SetFeatureFlagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n"): typeof import('./graphql').RemoveFeatureFlagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n"): typeof import('./graphql').SetClientRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n"): typeof import('./graphql').SetAppContentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n"): typeof import('./graphql').SetPushChannelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n"): typeof import('./graphql').PublishTermsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n"): typeof import('./graphql').LevelRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n"): typeof import('./graphql').AddLevelRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n"): typeof import('./graphql').RemoveLevelRuleDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
