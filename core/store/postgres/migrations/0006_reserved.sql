-- Reserved for the OAuth authorization record, which another change adds
-- as migration 6 at the same time as this one adds 7; when both are in,
-- that migration replaces this file.
SELECT 1;
