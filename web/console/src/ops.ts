// Every operation the console sends. `npm run codegen` types them from the
// schema (src/gql/); a field the schema drops fails the build, not a page.
import { graphql } from './gql';


export const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`);

export const SignInWithPin = graphql(`
  mutation SignInWithPin($input: SignInWithPinInput!) {
    signInWithPin(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`);

export const VerifySignIn = graphql(`
  mutation VerifySignIn($input: VerifySignInInput!) {
    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`);

export const VerifyDeviceSignIn = graphql(`
  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`);

export const Refresh = graphql(`
  mutation Refresh($input: RefreshSessionInput!) {
    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`);

export const SignOut = graphql(`
  mutation SignOut { signOut }
`);

export const Whoami = graphql(`
  query Whoami { me { id name email phone role } myPermissions }
`);

export const Users = graphql(`
  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }
    }
  }
`);

// Role-restricted fields are asked only when the rows open them to the
// caller's role (the flags come from myPermissions): a refused non-null
// field would null the whole user.
export const UserDetail = graphql(`
  query UserDetail(
    $id: ID!
    $profile: Boolean!
    $kyc: Boolean!
    $labels: Boolean!
    $phones: Boolean!
    $documents: Boolean!
    $selfie: Boolean!
    $devices: Boolean!
    $accounts: Boolean!
  ) {
    user(id: $id) {
      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled
      referralCode createdAt lastSignInAt
      kycStatus @include(if: $kyc)
      kycRejectionReason @include(if: $kyc)
      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }
      labels @include(if: $labels) { key value scope description updatedAt }
      phones @include(if: $phones) { id number verified verifiedAt createdAt }
      documents @include(if: $documents) {
        id type number expiresOn createdAt
        front { id contentType url }
        back { id contentType url }
      }
      selfie @include(if: $selfie) { id createdAt image { id contentType url } }
      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }
      accounts @include(if: $accounts) {
        id email subAccountId active createdAt
        portfolios { id name type address publicStrategy createdAt }
      }
    }
  }
`);

export const UserSessions = graphql(`
  query UserSessions($id: ID!) {
    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }
  }
`);

export const UserActivity = graphql(`
  query UserActivity($id: ID!) {
    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }
  }
`);

export const SetUserState = graphql(`
  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }
`);

export const SetUserRole = graphql(`
  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }
`);

export const SetUserLabel = graphql(`
  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }
`);

export const RemoveUserLabel = graphql(`
  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }
`);

export const ResetUserMfa = graphql(`
  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }
`);

export const RevokeUserSessions = graphql(`
  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }
`);

export const KycQueue = graphql(`
  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
    kycSubmissions(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status country submittedAt decidedAt reason
          user { id name email phone }
          profile { firstName lastName dateOfBirth country }
          document { id type number expiresOn front { id contentType url } back { id contentType url } }
          selfie { id image { id contentType url } }
        }
      }
    }
  }
`);

export const ApproveKyc = graphql(`
  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }
`);

export const RejectKyc = graphql(`
  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }
`);

export const PinResets = graphql(`
  query PinResets($status: PinResetStatus, $first: Int, $after: String) {
    pinResets(status: $status, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status reason createdAt decidedAt documentUploaded
          user { id name phone }
          document { id type number front { id contentType url } }
          selfie { id contentType url }
        }
      }
    }
  }
`);

export const ApprovePinReset = graphql(`
  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }
`);

export const RejectPinReset = graphql(`
  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }
`);

export const FailedDeliveries = graphql(`
  query FailedDeliveries($first: Int, $after: String) {
    failedDeliveries(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }
      }
    }
  }
`);

export const RetryDelivery = graphql(`
  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }
`);

export const PermissionRows = graphql(`
  query PermissionRows { permissions { id role operation action updatedAt } }
`);

export const CreatePermission = graphql(`
  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }
`);

export const UpdatePermission = graphql(`
  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }
`);

export const DeletePermission = graphql(`
  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }
`);

export const AdminActivities = graphql(`
  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
    adminActivities(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }
      }
    }
  }
`);

export const Metrics = graphql(`
  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
    adminMetrics(from: $from, to: $to, interval: $interval) {
      from to interval
      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
    }
  }
`);


export const OperatorSettings = graphql(`
  query OperatorSettings {
    operatorSettings {
      maintenance { enabled message }
      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }
      featureFlags { key enabled description }
      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }
      appContents
      pushChannels
      updatedAt
    }
    termsKinds { kind askUsers current { version title url publishedAt } }
  }
`);

export const SetMaintenance = graphql(`
  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }
`);

export const SetAppVersion = graphql(`
  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }
`);

export const SetFeatureFlag = graphql(`
  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }
`);

export const RemoveFeatureFlag = graphql(`
  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }
`);

export const SetClientRules = graphql(`
  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }
`);

export const SetAppContents = graphql(`
  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }
`);

export const SetPushChannels = graphql(`
  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }
`);

export const PublishTerms = graphql(`
  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }
`);

export const LevelRules = graphql(`
  query LevelRules {
    levels { level rules { key value description } }
    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }
  }
`);

export const AddLevelRule = graphql(`
  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }
`);

export const RemoveLevelRule = graphql(`
  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }
`);
