#include "spawnlab/fddiff.h"
