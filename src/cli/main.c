/* main.c - the `vortex` command-line tool.
 *
 *   vortex parse FILE [--dump] [--spans] [--tokens]   parse only
 *   vortex check FILE                                  all static checks
 *   vortex run FILE [ARGS...]                          check, then execute
 *   vortex help [COMMAND] | --help | --version
 *
 * Exit codes: 0 success, 1 errors in the user's program (or an unreadable
 * file), 2 command-line misuse. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../front/parser.h"
#include "../sema/sema.h"
#include "../vm/vm.h"
#include "../version.h"

enum { EXIT_USER = 1, EXIT_USAGE = 2 };

typedef struct Options {
    const char *command;
    const char *file;
    bool dump, spans, tokens, dump_types, dump_bytecode;
    VxDiagFormat format;
    int color;                        /* -1 auto, 0 never, 1 always */
    int nargs;                        /* program arguments after FILE (run) */
    char **args;
} Options;

typedef struct Command {
    const char *name, *args, *summary, *details;
} Command;

static const Command commands[] = {
    { "parse", "FILE [--dump] [--spans] [--tokens]", "parse a file and report syntax errors",
      "  --dump      print the syntax tree\n"
      "  --spans     with --dump: add line:col ranges to every node\n"
      "  --tokens    print the tokens instead of parsing\n" },
    { "check", "FILE [--dump-types]", "parse and type-check a file, reporting every error found",
      "  --dump-types   print the inferred type of every binding and function instance\n" },
    { "run", "FILE [--dump-bytecode] [ARGS...]", "check a file, then execute its `main`",
      "  --dump-bytecode   print the compiled bytecode instead of running it\n"
      "  Arguments after FILE are passed to the program.\n" },
    { "help", "[COMMAND]", "show help for vortex or for one command", "" },
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const char common_flags[] =
    "Common flags:\n"
    "  --error-format=human|json   how to print diagnostics (json: one object per line)\n"
    "  --color=auto|always|never   colour diagnostics (default: auto, on a terminal; NO_COLOR is honoured)\n";

static void usage(FILE *out)
{
    fprintf(out, "Vortex %s - a statically typed language for neural networks on GPUs and CPUs\n\n"
                 "Usage: vortex COMMAND [FLAGS] FILE\n\nCommands:\n", VX_VERSION);
    for (int i = 0; i < NCOMMANDS; i++) fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n%s  --version                   print the version\n  --help                      print this help\n\n"
                 "Run `vortex help COMMAND` for one command's flags.\n", common_flags);
}

static const Command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* Levenshtein distance, for "did you mean" suggestions. */
static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (n > 63) return 99;
    int row[64];
    for (size_t j = 0; j <= n; j++) row[j] = (int)j;
    for (size_t i = 1; a[i - 1]; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= n; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[n];
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "error: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fprintf(stderr, "\nRun `vortex --help` for usage.\n");
    return EXIT_USAGE;
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "error: unknown command `%s`\n", name);
    for (int i = 0; i < NCOMMANDS; i++)
        if (edit_distance(name, commands[i].name) <= 2) {
            fprintf(stderr, "  = help: did you mean `%s`?\n", commands[i].name);
            break;
        }
    fprintf(stderr, "\nRun `vortex --help` for the list of commands.\n");
    return EXIT_USAGE;
}

static int help(const char *topic)
{
    if (!topic) { usage(stdout); return 0; }
    const Command *c = find_command(topic);
    if (!c) return unknown_command(topic);
    printf("vortex %s %s\n\n%s.\n\n", c->name, c->args, c->summary);
    if (c->details[0]) printf("Flags:\n%s\n", c->details);
    printf("%s", common_flags);
    return 0;
}

/* Flags shared by every command; returns 0 if `arg` was not one. */
static int bad_value(const char *arg, const char *allowed)
{
    const char *eq = strchr(arg, '=');
    fprintf(stderr, "error: invalid value `%s` for `%.*s`\n  = help: use one of: %s\n", eq + 1,
            (int)(eq - arg), arg, allowed);
    return -1;
}

static int common_flag(Options *o, const char *arg)
{
    if (strncmp(arg, "--error-format=", 15) == 0 && strcmp(arg + 15, "json") != 0 && strcmp(arg + 15, "human") != 0)
        return bad_value(arg, "human, json");
    if (strncmp(arg, "--color=", 8) == 0 && strcmp(arg + 8, "always") != 0 && strcmp(arg + 8, "never") != 0 &&
        strcmp(arg + 8, "auto") != 0)
        return bad_value(arg, "auto, always, never");
    if (strcmp(arg, "--error-format=json") == 0) o->format = VX_FMT_JSON;
    else if (strcmp(arg, "--error-format=human") == 0) o->format = VX_FMT_TEXT;
    else if (strcmp(arg, "--color=always") == 0) o->color = 1;
    else if (strcmp(arg, "--color=never") == 0) o->color = 0;
    else if (strcmp(arg, "--color=auto") == 0) o->color = -1;
    else return 0;
    return 1;
}

static int parse_flag(Options *o, const char *arg)
{
    int c = common_flag(o, arg);
    if (c) return c;
    if (strcmp(o->command, "check") == 0 && strcmp(arg, "--dump-types") == 0) { o->dump_types = true; return 1; }
    if (strcmp(o->command, "run") == 0 && strcmp(arg, "--dump-bytecode") == 0) { o->dump_bytecode = true; return 1; }
    if (strcmp(o->command, "parse") != 0) return 0;
    if (strcmp(arg, "--dump") == 0) o->dump = true;
    else if (strcmp(arg, "--spans") == 0) o->spans = true;
    else if (strcmp(arg, "--tokens") == 0) o->tokens = true;
    else return 0;
    return 1;
}

/* Parse argv into o; returns -1 to go on, or an exit code. */
static int parse_args(Options *o, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (o->file && strcmp(o->command, "run") == 0) {     /* the program's own arguments */
            o->args = argv + i + (strcmp(a, "--") == 0);
            o->nargs = argc - i - (strcmp(a, "--") == 0);
            break;
        }
        if (a[0] == '-' && a[1]) {
            if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return help(o->command);
            int f = parse_flag(o, a);
            if (f < 0) return EXIT_USAGE;
            if (!f) {
                fprintf(stderr, "error: unknown flag `%s` for `vortex %s`\n\nRun `vortex help %s` for its flags.\n",
                        a, o->command, o->command);
                return EXIT_USAGE;
            }
        } else if (!o->file) {
            o->file = a;
        } else {
            return usage_error("unexpected argument `%s` (only one FILE is accepted)", a);
        }
    }
    if (!o->file) {
        fprintf(stderr, "error: `vortex %s` needs a FILE\n\nUsage: vortex %s %s\n", o->command, o->command,
                find_command(o->command)->args);
        return EXIT_USAGE;
    }
    return -1;
}

static void print_tokens(const VxSource *src, const VxTokens *t)
{
    for (int i = 0; i < t->len; i++) {
        const VxToken *k = &t->data[i];
        VxPos pos = vx_source_pos(src, k->span.start);
        printf("%d:%d %s", pos.line, pos.col, vx_tok_name((VxTokKind)k->kind));
        if (k->kind == TK_IDENT || k->kind == TK_INT || k->kind == TK_FLOAT)
            printf(" %.*s", (int)(k->span.end - k->span.start), src->text + k->span.start);
        if (k->kind == TK_INT && k->v.ival) {
            char num[80];
            vx_u256_str(k->v.ival, num, sizeof num);
            printf(" = %s%s%s", num, k->suffix ? " " : "", vx_suffix_name((VxSuffix)k->suffix));
        }
        if (k->kind == TK_FLOAT) printf(" = %.17g%s%s", k->v.fval, k->suffix ? " " : "", vx_suffix_name((VxSuffix)k->suffix));
        if (k->kind == TK_STRING) printf(" (%u bytes)", k->v.str.n);
        putchar('\n');
    }
}

static void summarise(const VxDiags *d)
{
    if (d->format != VX_FMT_TEXT || d->errors == 0) return;
    fprintf(d->out, "%s: aborting due to %d previous error%s\n", d->color ? "\033[1;31merror\033[0m" : "error",
            d->errors, d->errors == 1 ? "" : "s");
}

/* Check, compile and run (or dump the bytecode).  Returns the exit status. */
static int run_program(const Options *o, VxSource *src, VxNode *file, VxDiags *diags)
{
    VxSema *sema = vx_sema_check(src, file, diags, (VxCheckOptions){ .out = stdout });
    int status = EXIT_USER;
    bool ran = false;
    if (vx_sema_errors(sema) == 0) {
        VxProgram *prog = vx_compile(sema, src, file, diags);
        vx_diags_flush(diags);
        if (prog && o->dump_bytecode) { vx_program_dump(prog, stdout); status = 0; }
        else if (prog) { status = vx_run(prog, o->nargs, o->args, diags); ran = true; }
        vx_program_free(prog);
    }
    vx_sema_free(sema);
    if (diags->errors && !ran) summarise(diags);          /* compile errors; a runtime error stands alone */
    return status;
}

static int run_front_end(const Options *o)
{
    VxSource src;
    if (!vx_source_load(&src, o->file)) {
        fprintf(stderr, "error: cannot read `%s`: %s\n", o->file, strerror(errno));
        return EXIT_USER;
    }
    bool color = o->color < 0 ? isatty(2) && !getenv("NO_COLOR") : o->color;
    VxDiags diags;
    vx_diags_init(&diags, stderr, o->format, color);
    VxArena arena;
    vx_arena_init(&arena);
    if (o->tokens) {
        VxTokens toks = vx_lex(&src, &arena, &diags);
        print_tokens(&src, &toks);
        vx_tokens_free(&toks);
    } else {
        VxNode *file = vx_parse(&src, &arena, &diags);
        if (o->dump) vx_ast_dump(stdout, &src, file, (VxDumpOptions){ .spans = o->spans });
        /* Types are checked only on a file that parsed: a broken tree would
         * produce confusing follow-on errors. */
        if (strcmp(o->command, "check") == 0 && diags.errors == 0)
            vx_check(&src, file, &diags, (VxCheckOptions){ .dump_types = o->dump_types, .out = stdout });
        if (strcmp(o->command, "run") == 0 && diags.errors == 0) {
            int status = run_program(o, &src, file, &diags);
            vx_diags_free(&diags);
            vx_arena_free(&arena);
            vx_source_free(&src);
            return status;
        }
    }
    fflush(stdout);
    vx_diags_flush(&diags);
    summarise(&diags);
    int errors = diags.errors;
    vx_diags_free(&diags);
    vx_arena_free(&arena);
    vx_source_free(&src);
    return errors ? EXIT_USER : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return EXIT_USAGE; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) { printf("vortex %s\n", VX_VERSION); return 0; }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) return help(NULL);
    if (strcmp(cmd, "help") == 0) {
        if (argc > 3) return usage_error("`vortex help` takes at most one COMMAND, got `%s` too", argv[3]);
        return help(argc > 2 ? argv[2] : NULL);
    }
    if (cmd[0] == '-') return usage_error("unknown flag `%s` (a command comes first, as in `vortex parse FILE`)", cmd);
    if (!find_command(cmd)) return unknown_command(cmd);
    Options o = { .command = cmd, .format = VX_FMT_TEXT, .color = -1 };
    int rc = parse_args(&o, argc, argv);
    if (rc >= 0) return rc;
    return run_front_end(&o);
}
