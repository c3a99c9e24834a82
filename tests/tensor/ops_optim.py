OPTIM_SIGS = {}


def cases(seed):
    return []
