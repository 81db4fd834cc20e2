# Minimal stand-in for the few numpy calls NetRL's ObservationBuffer uses
# with scalar observations (shape ()).
bool_ = bool
float64 = float
class ndarray(list):
    def __setitem__(self, k, v):
        if isinstance(k, slice):
            for i in range(len(self))[k]:
                list.__setitem__(self, i, v)
        else:
            list.__setitem__(self, k, v)
dtype = type
def zeros(shape, dtype=float):
    n = shape[0]
    assert len(shape) == 1, shape
    return ndarray([dtype(0)] * n)
def full(shape, fill, dtype=int):
    return ndarray([fill] * shape[0])
def ascontiguousarray(x, dtype=None):
    return x
