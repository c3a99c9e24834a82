/* unit_main.c - runs every registered unit test. */
#include <stdlib.h>

#include "unit.h"

enum { MAX_TESTS = 1024 };
static struct { const char *name; UnitFn fn; } tests[MAX_TESTS];
static int ntests, failed_now;

void unit_register(const char *name, UnitFn fn)
{
    if (ntests < MAX_TESTS) { tests[ntests].name = name; tests[ntests].fn = fn; ntests++; }
}

void unit_fail(const char *file, int line, const char *what)
{
    printf("FAIL %s:%d: %s\n", file, line, what);
    failed_now = 1;
}

int main(void)
{
    int bad = 0;
    for (int i = 0; i < ntests; i++) {
        failed_now = 0;
        tests[i].fn();
        if (failed_now) { printf("FAIL %s\n", tests[i].name); bad++; }
        else printf("ok %s\n", tests[i].name);
    }
    return bad ? 1 : 0;
}
