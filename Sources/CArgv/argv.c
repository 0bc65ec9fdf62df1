/* Where `CommandLine` finds argv, in the statically linked release binary.
 *
 * The Swift runtime's own answer (CommandLine.cpp in libswiftCore.a) is a global object
 * constructed at every start: it reads /proc/self/maps line by line with sscanf to find the
 * stack, then walks back from `environ` to argv. That is a sixth of the instructions of a
 * `walt --help`. glibc hands argc and argv to every constructor of the executable, so one
 * constructor keeps them instead. Defining the two functions that object provides keeps the
 * linker from pulling it out of the archive at all (Scripts/test-release.sh checks that).
 * With a dynamically linked runtime (debug builds) these definitions are simply unused. */
#include <stddef.h>

static char **captured_argv;
static int captured_argc;
static char **override_argv;
static int override_argc;

static void capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    captured_argc = argc;
    captured_argv = argv;
}

__attribute__((section(".init_array"), used))
static void (*const capture_arguments_entry)(int, char **, char **) = capture_arguments;

/* The runtime's contract: argv for `CommandLine.unsafeArgv`, its count in *count. */
__attribute__((swiftcall))
char **_swift_stdlib_getUnsafeArgvArgc(int *count) {
    if (override_argv != NULL) {
        *count = override_argc;
        return override_argv;
    }
    *count = captured_argc;
    return captured_argv;
}

/* Kept for completeness: the runtime exports it for the REPL and JIT, which replace argv. */
__attribute__((swiftcall))
void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) {
    override_argv = argv;
    override_argc = argc;
}
