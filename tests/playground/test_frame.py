"""The arrays a Playground frame is drawn from."""

from nnviz.playground import Run, RunConfig, boundary_grid, dead_units, neuron_maps


def test_dead_units_only_for_relu_layers():
    run = Run(RunConfig(hidden=(3, 3), activations=("tanh", "relu")))
    dead = dead_units(run)
    assert dead[0] is None and 0 <= dead[1] <= 1


def test_boundary_grid_and_neuron_maps_cover_the_plot_box():
    run = Run(RunConfig(dataset="moons", hidden=(5, 3)))
    grid = boundary_grid(run, 30)
    assert grid.values.shape == (30, 30, 1)
    assert ((grid.values >= 0) & (grid.values <= 1)).all()
    maps = neuron_maps(run)
    assert [m.shape[2] for m in maps] == [5, 3]
    assert maps[0].shape[0] == maps[0].shape[1]
