/* bytecode.c - opcode names, the --dump-bytecode listing, freeing. */
#include "bytecode.h"

#include <stdbool.h>
#include <stdlib.h>


static const char *const op_names[VX_OP_COUNT] = {
#define OP(name, semantics) #name,
#include "opcodes.def"
#undef OP
};

const char *vx_op_name(VxOp op) { return op < VX_OP_COUNT ? op_names[op] : "?"; }

static bool is_jump(VxOp op) { return op == VX_OP_JMP || op == VX_OP_JMPIF || op == VX_OP_JMPIFNOT || op == VX_OP_JMPNOTAG; }


static void dump_func(const VxProgram *p, const VxFunc *f, FILE *out)
{
    fprintf(out, "fn %s: %d params, %d registers, %d instructions, %d constants\n",
            f->name, f->nparams, f->nregs, f->ncode, f->nconsts);
    for (int pc = 0; pc < f->ncode; pc++) {
        VxInstr i = f->code[pc];
        VxPos pos = vx_source_pos(f->src, f->spans[pc].start);
        fprintf(out, "  %4d  %-9s", pc, vx_op_name((VxOp)i.op));
        if (is_jump((VxOp)i.op))
            fprintf(out, " %-5u -> %d", i.a, pc + 1 + vx_sbx(i));
        else if (i.op == VX_OP_LOADI)
            fprintf(out, " %-5u %d", i.a, vx_sbx(i));
        else if (i.op == VX_OP_FORLOOP || i.op == VX_OP_FORLOOPI || i.op == VX_OP_ANEXT)
            fprintf(out, " %-5u %-5u -> %d", i.a, i.b, pc + 1 + (int16_t)i.c);
        else if (i.op == VX_OP_CALL)
            fprintf(out, " %-5u %s/%u -> %d", i.a, p->funcs[i.b].name, i.c, i.a - i.t);
        else
            fprintf(out, " %-5u %-5u %-5u t=%u", i.a, i.b, i.c, i.t);
        fprintf(out, "   ; %d:%d\n", pos.line, pos.col);
    }
}

void vx_program_dump(const VxProgram *p, FILE *out)
{
    for (int i = 0; i < p->nfuncs; i++) {
        dump_func(p, &p->funcs[i], out);
        if (i + 1 < p->nfuncs) fputc('\n', out);
    }
}

void vx_program_free(VxProgram *p)
{
    if (!p) return;
    for (int i = 0; i < p->nfuncs; i++) {
        free(p->funcs[i].code);
        free(p->funcs[i].spans);
        free(p->funcs[i].consts);
        free(p->funcs[i].own_name);
    }
    for (int i = 0; i < p->nstrings; i++) free(p->strings[i]);
    free(p->strings);
    for (int i = 0; i < p->narrays; i++) { free(p->arrays[i]->items); free(p->arrays[i]); }
    free(p->arrays);
    for (int i = 0; i < p->nwides; i++) free(p->wides[i]);
    free(p->wides);
    for (int i = 0; i < p->ndescs; i++) {
        free(p->descs[i]->field_names);
        free(p->descs[i]->kinds);
        free(p->descs[i]->unit);
        free(p->descs[i]);
    }
    free(p->descs);
    free(p->funcs);
    free(p);
}
