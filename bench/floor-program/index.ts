// Deliberately empty: see Pulumi.yaml beside it.
export {};
