// WaltStore: PostgreSQL access for the daemon through libpq, loaded with dlopen on first
// use so that no other personality maps libpq. SQL is built only through `SQL`, which
// binds every interpolated value as a `$n` parameter.
import CLibpq
