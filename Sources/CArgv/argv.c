/* Where `CommandLine` finds argv, in the statically linked release binary.
 *
 * The Swift runtime's own answer (CommandLine.cpp in libswiftCore.a) is a global object
 * constructed at every start: it reads /proc/self/maps line by line with sscanf to find the
 * stack, then walks back from `environ` to argv. That is a sixth of the instructions of a
 * `walt --help`. glibc hands argc and argv to every constructor of the executable, so one
 * constructor keeps them instead. Defining the function the standard library calls keeps
 * the linker from pulling that object out of the archive at all (Scripts/test-release.sh
 * checks that). The object's other function, an override for the REPL and JIT, has no
 * caller in a static binary. With a dynamically linked runtime (debug builds) this
 * definition is simply unused. */
#include <stddef.h>

static char **captured_argv;
static int captured_argc;

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
    *count = captured_argc;
    return captured_argv;
}
