"""Arrow columns to NumPy arrays and back, without pandas.

pyarrow's own ``to_numpy`` (and ``pa.array`` of a NumPy array) import pandas, about 0.6 s of
CPU, which analysing a file never needs: the readers convert from the Arrow buffers here.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from calfload._validation import as_array


def arrow_to_numpy(chunked: pa.ChunkedArray) -> np.ndarray:
    """An Arrow column of numbers or booleans as a NumPy array, nulls as NaN (booleans as float32 1/0).

    Read from the Arrow buffers directly: pyarrow's own ``to_numpy`` imports pandas (about 0.6 s
    of CPU), which the analysis of a file never needs. One chunk without nulls is not copied.
    Other types (text in a foreign file) go through pyarrow and are refused by the validation.
    """
    kind = chunked.type
    if not (pa.types.is_floating(kind) or pa.types.is_integer(kind) or kind == pa.bool_()):
        return as_array(chunked.to_numpy())
    parts = [_chunk_to_numpy(chunk) for chunk in chunked.chunks]
    if not parts:
        return np.empty(0, np.float32 if kind == pa.bool_() else kind.to_pandas_dtype())
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _chunk_to_numpy(chunk: pa.Array) -> np.ndarray:
    n, offset = len(chunk), chunk.offset
    validity, data = chunk.buffers()[:2]
    if chunk.type == pa.bool_():
        values = _bits(data, offset, n).astype(np.float32)
    else:
        dtype = np.dtype(chunk.type.to_pandas_dtype())
        raw = memoryview(data) if data is not None and n else b""
        values = np.frombuffer(raw, dtype=dtype, count=n, offset=offset * dtype.itemsize) if n else np.empty(0, dtype)
    if validity is not None and chunk.null_count:
        values = values.astype(values.dtype if values.dtype.kind == "f" else np.float64)
        values[_bits(validity, offset, n) == 0] = np.nan
    return values


def _bits(buffer: pa.Buffer | None, offset: int, n: int) -> np.ndarray:
    """Arrow's bit-packed (least significant bit first) flags as uint8 0/1."""
    packed = np.frombuffer(memoryview(buffer) if buffer is not None else b"", dtype=np.uint8)
    return np.asarray(np.unpackbits(packed, bitorder="little")[offset : offset + n])


def arrow_column(values: np.ndarray, arrow_type: pa.DataType) -> pa.Array:
    """One column for Parquet: NaN is written as null; booleans from float32 1/0/NaN.

    Floats and booleans are built on NumPy's buffers (``pa.Array.from_buffers``): ``pa.array`` of
    any NumPy array imports pandas, about 0.6 s of CPU for a command that only writes a file.
    Integer columns keep pyarrow's checked conversion.
    """
    if not (arrow_type == pa.bool_() or pa.types.is_floating(arrow_type)):
        return pa.array(values, type=arrow_type, from_pandas=True)
    missing = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    nulls = int(np.count_nonzero(missing))
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little").data) if nulls else None
    if arrow_type == pa.bool_():
        data = np.packbits(values == 1.0, bitorder="little")
    else:
        data = np.ascontiguousarray(values, dtype=np.dtype(arrow_type.to_pandas_dtype()))
    return pa.Array.from_buffers(arrow_type, len(values), [validity, pa.py_buffer(data.data)], null_count=nulls)


__all__ = ["arrow_column", "arrow_to_numpy"]
