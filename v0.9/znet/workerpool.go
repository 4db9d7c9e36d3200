package znet

import "zinx/v0.9/ziface"

// StartWorkerPool starts WorkerPoolSize workers, each with a queue of
// MaxWorkerTaskLen entries (burst.go), and fixes the routes: AddRouter
// panics from then on. It reads WorkerPoolSize once; changing the field
// later changes nothing. Later calls do nothing. The server calls it in
// Start.
//
// The course read utils.GlobalObject.WorkerPoolSize here and again in every
// reader, so a Reload in between could send requests to queues that did not
// exist; and its workers looped forever, with no way to stop them.
func (mh *MsgHandle) StartWorkerPool() {
	mh.startOnce.Do(func() {
		mh.seal()
		mh.poolSize = mh.WorkerPoolSize
		mh.TaskQueue = make([]chan ziface.IRequest, mh.poolSize)
		for i := range mh.TaskQueue {
			// 一个worker对应一个queue: each worker owns one bounded queue.
			// At least one slot, even if MaxWorkerTaskLen is 0 (NewMsgHandle
			// takes it from GlobalObject unchecked): stopWorkers' wake-up
			// never waits, and an unbuffered queue could miss a worker
			// about to receive.
			mh.TaskQueue[i] = make(chan ziface.IRequest, max(mh.maxTaskLen, 1))
			mh.workers.Add(1)
			go mh.startOneWorker(i, mh.TaskQueue[i])
		}
		if mh.poolSize > 0 {
			mh.log.Info("worker pool started", "workers", mh.poolSize, "queue_len", mh.maxTaskLen)
		}
	})
}

// SendMsgToTaskQueue queues request for worker ConnID % WorkerPoolSize, so
// one connection's requests all go to one queue and run in arrival order.
// A request the reader made may have more of the same read linked behind
// it (burst.go): they are one entry, and run one after the other.
// While that queue is full it waits: the reader calling it stops reading,
// and TCP flow control pushes back on the client, so nothing is dropped and
// memory stays bounded. It gives up, dropping the request, once the
// request's connection stops or the pool does. With a pool of size 0, or
// before StartWorkerPool, it runs the request on the calling goroutine (the
// course started a goroutine per message instead: unbounded, and out of
// order). Call StartWorkerPool before any goroutine calls this; the server
// does, in Start.
//
// A handler that queues a request again, onto its own worker, while that
// queue is full, waits for itself: the worker, and every connection it
// serves, stops for good. Queue again from another goroutine if it may be
// full. With a pool, a request queued again is not counted among the
// entries its connection's reader waits for: once the client has
// half-closed, the drain may end the connection first, and that request is
// then skipped, or its reply refused with ErrConnClosed, and the client
// never gets it.
func (mh *MsgHandle) SendMsgToTaskQueue(request ziface.IRequest) {
	if mh.poolSize == 0 {
		mh.runEntry(request)
		return
	}
	queue := mh.TaskQueue[request.GetConnection().GetConnID()%mh.poolSize]
	select {
	case queue <- request: // the common case, without the cost of a three-way select
		return
	default:
	}
	select {
	case queue <- request:
	case <-connClosed(request):
		finished(request)
	case <-mh.quit:
		finished(request)
	}
}

// startOneWorker runs the entries of its queue, one at a time, until the
// pool stops. A request whose connection has stopped meanwhile is skipped:
// its handler would only meet a closed connection. Run or skipped, the
// entry is finished, which its connection's reader waits for before it
// runs the stop hook.
func (mh *MsgHandle) startOneWorker(workerID int, taskQueue chan ziface.IRequest) {
	defer mh.workers.Done()
	mh.log.Debug("Worker started", "worker_id", workerID)
	for {
		if mh.stopping() {
			// A server stops its workers once every entry a reader counted
			// is finished; a request queued again may still wait here, and
			// is dropped.
			return
		}
		// Wait in a plain receive, not a select that also watches quit: a
		// select locks both channels to wait and again to wake, which was a
		// tenth of the worker's cost at one request in flight. stopWorkers
		// wakes a waiting worker with a nil request instead.
		request := <-taskQueue
		// Run whatever else is queued before waiting again. Not watching
		// quit meanwhile is safe: the pool stops after the connections have
		// finished, and so after their requests.
		for request != nil {
			mh.busy.Add(1)
			mh.runEntry(request)
			mh.busy.Add(-1)
			select {
			case request = <-taskQueue:
			default:
				request = nil
			}
		}
	}
}

// stopWorkers tells every worker to exit once its current request is done.
// It does not wait; waitWorkers does.
//
// A worker checks quit before each wait, so one that is waiting, or about
// to, has an empty queue: the nil request sent here wakes it. If the queue
// is full the send is skipped, and that worker is not waiting: it runs what
// is queued, then finds quit closed before it would wait again.
func (mh *MsgHandle) stopWorkers() {
	mh.stopOnce.Do(func() {
		close(mh.quit)
		for _, queue := range mh.TaskQueue {
			select {
			case queue <- nil:
			default:
			}
		}
	})
}

// stopping reports whether stopWorkers has run.
func (mh *MsgHandle) stopping() bool {
	select {
	case <-mh.quit:
		return true
	default:
		return false
	}
}

// busyWorkers returns how many workers are running a handler.
func (mh *MsgHandle) busyWorkers() int {
	return int(mh.busy.Load())
}

// waitWorkers returns once every worker has exited.
func (mh *MsgHandle) waitWorkers() {
	mh.workers.Wait()
}

// StopWorkerPool stops the workers and returns once they have exited, which
// waits for any handler still running. A worker runs the requests it finds
// queued before it next checks for the stop (skipping those whose connection
// has stopped); a request queued after that check, or a SendMsgToTaskQueue
// waiting on a full queue, is dropped. The server stops its pool itself, in
// Stop, after every connection has finished; this is for a MsgHandle used on
// its own.
func (mh *MsgHandle) StopWorkerPool() {
	mh.stopWorkers()
	mh.waitWorkers()
}

// connClosed returns a channel closed when request's connection stops, or
// nil (which never fires in a select) for a connection of another kind.
func connClosed(request ziface.IRequest) <-chan struct{} {
	if c, ok := request.GetConnection().(*Connection); ok {
		return c.closed
	}
	return nil
}

// isClosedConn reports whether request's connection has stopped.
func isClosedConn(request ziface.IRequest) bool {
	if c, ok := request.GetConnection().(*Connection); ok {
		return c.isClosed()
	}
	return false
}
