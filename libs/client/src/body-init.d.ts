// The generated fetch client casts to the DOM's BodyInit, which Node's types keep out of the
// global scope (the repository compiles without the DOM lib). Not part of the built declarations:
// libs/client/tsconfig.build.json compiles with the DOM lib instead.
type BodyInit = NonNullable<RequestInit['body']>;
