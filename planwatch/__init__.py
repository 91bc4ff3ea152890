"""planwatch (规划监测): reads Chinese planning documents and checks whether their targets are met.

The pipeline, one module per step: read → structure → quantities → claims → indicators → links → assess
→ publish. Each step is a pure function over the dataclasses in `planwatch.model`.
"""

__version__ = "0.1.0"
