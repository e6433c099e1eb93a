// Ready-made operations for the main journeys. Each opens as a tab of its
// own (query, variables, headers); the Examples pane in the sidebar opens
// them again after the tabs have been edited or closed.

const noHeaders = '{}';
const bearer = JSON.stringify({ Authorization: 'Bearer PASTE_THE_ACCESS_TOKEN' }, null, 2);

export const examples = [
  {
    title: 'Phone sign-up',
    about: 'Check the number, send a code, verify it, set a PIN. In dev the code is printed in the server log.',
    query: `# Phone sign-up: run the operations one after the other (the ▶ button
# asks which). In dev the SMS code is printed in the server's log.
# Copy each answer's id or ticket into the variables below.

query SignupStatus($phone: String!) {
  phoneSignupStatus(phone: $phone)
}

mutation StartSignup($phone: String!) {
  startPhoneSignup(input: { phone: $phone }) {
    id
    destination
    expiresAt
    resendAfter
  }
}

mutation VerifySignup($challengeId: ID!, $code: String!) {
  verifyPhoneSignup(input: { challengeId: $challengeId, code: $code }) {
    ticket
    expiresAt
  }
}

mutation CompleteSignup($ticket: String!, $pin: String!, $deviceId: String!) {
  completePhoneSignup(
    input: {
      ticket: $ticket
      pin: $pin
      confirmPin: $pin
      acceptTerms: true
      deviceId: $deviceId
      deviceName: "GraphiQL"
    }
  ) {
    accessToken
    refreshToken
    deviceSecret
    user {
      id
      phone
      level
    }
  }
}
`,
    variables: JSON.stringify(
      { phone: '+447911123456', challengeId: 'FROM_StartSignup', code: 'FROM_THE_SERVER_LOG', ticket: 'FROM_VerifySignup', pin: '4831', deviceId: 'graphiql-1' },
      null,
      2,
    ),
    headers: noHeaders,
  },
  {
    title: 'PIN sign-in',
    about: 'Sign in on a trusted device with its deviceSecret; a new device answers with an SMS challenge.',
    query: `# PIN sign-in. With the deviceSecret completePhoneSignup returned the
# device is trusted: status SIGNED_IN. Without it (a new device) the status
# is DEVICE_VERIFICATION_REQUIRED with a challenge: answer VerifyDevice.
# Then put auth.accessToken in the headers pane:
#   {"Authorization": "Bearer <accessToken>"}  and run Me.

mutation SignIn($phone: String!, $pin: String!, $deviceId: String!, $deviceSecret: String) {
  signInWithPin(input: { phone: $phone, pin: $pin, deviceId: $deviceId, deviceSecret: $deviceSecret }) {
    status
    auth {
      accessToken
      refreshToken
    }
    challenge {
      id
      destination
    }
  }
}

mutation VerifyDevice($challengeId: ID!, $code: String!) {
  verifyDeviceSignIn(input: { challengeId: $challengeId, code: $code }) {
    accessToken
    refreshToken
    deviceSecret
  }
}

query Me {
  me {
    id
    phone
    level
    kycStatus
    devices {
      deviceId
      name
      trusted
    }
  }
}
`,
    variables: JSON.stringify(
      { phone: '+447911123456', pin: '4831', deviceId: 'graphiql-1', deviceSecret: 'FROM_CompleteSignup', challengeId: 'FROM_SignIn', code: 'FROM_THE_SERVER_LOG' },
      null,
      2,
    ),
    headers: noHeaders,
  },
  {
    title: 'KYC upload',
    about: 'Profile and status here; the files go with curl (multipart), shown in the comment.',
    query: `# KYC: a confirmed profile, an identity document and a selfie make a
# submission. GraphiQL cannot send files: upload them with curl, with the
# GraphQL multipart request spec (operations, map, then the files):
#
# curl -s localhost:8080/graphql -H "authorization: Bearer $TOKEN" \\
#   -F operations='{"query":"mutation($front: Upload!) { uploadKycDocument(input: {type: PASSPORT, number: \\"123456789\\", expiresOn: \\"2031-05-01\\", front: $front}) { id type } }","variables":{"front":null}}' \\
#   -F map='{"0":["variables.front"]}' -F 0=@passport.png
#
# curl -s localhost:8080/graphql -H "authorization: Bearer $TOKEN" \\
#   -F operations='{"query":"mutation($image: Upload!) { uploadSelfie(input: {image: $image}) { id } }","variables":{"image":null}}' \\
#   -F map='{"0":["variables.image"]}' -F 0=@selfie.png
#
# The headers pane needs the user's access token (PIN sign-in tab).

mutation Profile {
  upsertMyProfile(
    input: {
      firstName: "Ada"
      lastName: "Lovelace"
      dateOfBirth: "1990-12-10"
      address: "12 St James Sq"
      postcode: "SW1Y 4JH"
      city: "London"
      country: "GB"
      confirm: true
    }
  ) {
    confirmed
    confirmedAt
  }
}

query KycStatus {
  me {
    kycStatus
    level
  }
}
`,
    variables: '{}',
    headers: bearer,
  },
  {
    title: 'Staff: user search',
    about: 'Search users with filters, an order and keyset paging, as SUPPORT, COMPLIANCE, ADMIN or SUPERADMIN.',
    query: `# Staff search. Sign in as staff first: make run's dev SUPERADMIN is
# +447911000001 with the PIN it printed once (the PIN sign-in tab; this
# browser is a new device, so answer the SMS code from the server log), or
# an admin made by \`gatehouse admin create\` (signIn with email and
# password, then the emailed code). Put the access token in the headers
# pane. Pass pageInfo.endCursor as $after for the next page.

query Users($name: String, $after: String) {
  users(
    filter: { name: $name }
    orderBy: { field: CREATED_AT, direction: DESC }
    first: 20
    after: $after
  ) {
    totalCount
    edges {
      cursor
      node {
        id
        email
        phone
        state
        role
        level
        kycStatus
        lastSignInAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
    variables: JSON.stringify({ name: 'lovelace', after: null }, null, 2),
    headers: bearer,
  },
];
