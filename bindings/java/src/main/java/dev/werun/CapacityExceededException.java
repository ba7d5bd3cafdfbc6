package dev.werun;

/** {@link Status#CAPACITY_EXCEEDED}: more step entries than {@link Options#maxSteps(int)}. */
public final class CapacityExceededException extends WerunException {
    private static final long serialVersionUID = 1L;

    CapacityExceededException() {
        super(Status.CAPACITY_EXCEEDED);
    }
}
